"""Reference data: currencies, VAT rates, nominal codes, customer sources, projects, company."""

from __future__ import annotations

from ..wire.records import BasicDataset, CompanyDetails, Currencies, NominalCode
from .common import Area, many


class Reference(Area):
    async def currencies(self) -> list[Currencies]:
        return many(Currencies, await self._soap.call("GetCurrencies"))

    async def vat_rates(self) -> list[BasicDataset]:
        return many(BasicDataset, await self._soap.call("GetVATRates"))

    async def customer_sources(self) -> list[BasicDataset]:
        return many(BasicDataset, await self._soap.call("GetCustomerSources"))

    async def projects(self) -> list[BasicDataset]:
        return many(BasicDataset, await self._soap.call("GetProjects"))

    async def nominal_codes(self) -> list[NominalCode]:
        return many(NominalCode, await self._soap.call("GetNominalCodes"))

    async def company(self) -> CompanyDetails:
        return CompanyDetails.model_validate(await self._soap.call("GetCompanyDetails") or {})
