"""Status=NO reasons become typed errors a person can act on."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import errors


@pytest.mark.parametrize(
    ("detail", "kind"),
    [
        ("Incorrect username or password", errors.AuthenticationError),
        ("The API is not enabled for this account", errors.ApiDisabledError),
        ("Access denied: your IP address 1.2.3.4 is not allowed", errors.IpNotAllowedError),
        ("Customer not found", errors.NotFoundError),
        ("Invoice number 9 does not exist", errors.NotFoundError),
        ("Customer name is required", errors.InvalidRequestError),
        ("Something unusual happened", errors.KashFlowRefused),
    ],
)
def test_status_detail_maps_to_an_error_type(detail: str, kind: type) -> None:
    error = errors.error_from_status("GetCustomer", detail)
    assert type(error) is kind
    assert detail in str(error) and error.operation == "GetCustomer"


@pytest.mark.parametrize(
    ("kind", "setting"),
    [
        (errors.AuthenticationError, "Separate API password"),
        (errors.ApiDisabledError, "Enable SOAP API"),
        (errors.IpNotAllowedError, "Restrict access to specific IP addresses"),
    ],
)
def test_account_setting_errors_name_the_setting_to_fix(kind: type, setting: str) -> None:
    assert setting in str(kind("no", operation="GetCustomers"))
