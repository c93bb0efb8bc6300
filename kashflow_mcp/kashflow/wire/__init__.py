"""Wire models: KashFlow's SOAP records exactly as the service names and types them.

``records`` holds one model per record of the WSDL type table, generated from it. The
assistant never sees these; ``schemas/`` holds its models and the tools map between the two.
"""

from .base import WireModel

__all__ = ["WireModel"]
