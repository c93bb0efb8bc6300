"""The payment operations answer hand-written envelopes as KashFlow's WSDL describes them:
element names, field order, types, and Status/StatusDetail."""

from __future__ import annotations

import httpx
import pytest

from kashflow_mcp.kashflow.wsdl_types import record_fields

from .soap import KF, answer, call, local, post, status

pytestmark = pytest.mark.anyio

INSERT_PAYMENT = call(
    "InsertInvoicePayment",
    """<InvoicePayment>
        <PayID>0</PayID>
        <PayInvoice>{number}</PayInvoice>
        <PayDate>2025-03-01T00:00:00</PayDate>
        <PayNote>Thank you</PayNote>
        <PayMethod>2</PayMethod>
        <PayAccount>1</PayAccount>
        <PayAmount>12.34</PayAmount>
      </InvoicePayment>""",
)
WHOLE_RANGE = "<StartDate>2000-01-01T00:00:00</StartDate><EndDate>2099-12-31T00:00:00</EndDate>"


async def _unpaid_invoice(http: httpx.AsyncClient) -> int:
    response = await post(http, call("GetInvoices_Unpaid"), "GetInvoices_Unpaid")
    return int(
        answer(response).findtext(f"{KF}GetInvoices_UnpaidResult/{KF}Invoice/{KF}InvoiceNumber")
        or 0
    )


def _children(element) -> list[str]:
    return [local(child.tag) for child in element]


async def test_get_bank_accounts_lists_bank_account_records(demo_http: httpx.AsyncClient):
    element = answer(await post(demo_http, call("GetBankAccounts"), "GetBankAccounts"))

    assert element.tag == f"{KF}GetBankAccountsResponse"
    assert _children(element) == ["GetBankAccountsResult", "Status", "StatusDetail"]
    assert status(element) == ("OK", "")
    accounts = element.findall(f"{KF}GetBankAccountsResult/{KF}BankAccount")
    assert [_children(a) for a in accounts] == [[n for n, _ in record_fields("BankAccount")]] * 2
    assert [(a.findtext(f"{KF}AccountName"), a.findtext(f"{KF}AccountCode")) for a in accounts] == [
        ("Current Account", "1200"),
        ("Deposit Account", "1210"),
    ]


async def test_get_inv_pay_methods_lists_payment_method_records(demo_http: httpx.AsyncClient):
    element = answer(await post(demo_http, call("GetInvPayMethods"), "GetInvPayMethods"))

    methods = element.findall(f"{KF}GetInvPayMethodsResult/{KF}PaymentMethod")
    assert {tuple(_children(m)) for m in methods} == {("MethodID", "MethodName")}
    assert [m.findtext(f"{KF}MethodName") for m in methods] == [
        "BACS", "Cheque", "Cash", "Card", "PayPal"
    ]  # fmt: skip


async def test_insert_then_delete_a_payment_as_documented(demo_http: httpx.AsyncClient):
    number = await _unpaid_invoice(demo_http)

    inserted = answer(
        await post(demo_http, INSERT_PAYMENT.format(number=number), "InsertInvoicePayment")
    )
    assert status(inserted) == ("OK", "")
    pay_id = inserted.findtext(f"{KF}InsertInvoicePaymentResult") or ""
    listed = answer(
        await post(demo_http, call("GetInvoicePayment", f"<InvoiceNumber>{number}</InvoiceNumber>"))
    )
    payments = listed.findall(f"{KF}GetInvoicePaymentResult/{KF}Payment")
    ours = [p for p in payments if p.findtext(f"{KF}PayID") == pay_id]
    assert len(ours) == 1
    assert _children(ours[0]) == [n for n, _ in record_fields("Payment")]
    fields = ("PayDate", "PayNote", "PayMethod", "PayAccount", "PayAmount")
    assert [ours[0].findtext(f"{KF}{name}") for name in fields] == [
        "2025-03-01T00:00:00", "Thank you", "2", "1", "12.34"
    ]  # fmt: skip

    body = call("DeleteInvoicePayment", f"<InvoicePaymentNumber>{pay_id}</InvoicePaymentNumber>")
    deleted = answer(await post(demo_http, body, "DeleteInvoicePayment"))

    assert deleted.tag == f"{KF}DeleteInvoicePaymentResponse"
    assert _children(deleted) == ["Status", "StatusDetail"]
    assert status(deleted) == ("OK", "")
    again = answer(await post(demo_http, body, "DeleteInvoicePayment"))
    assert status(again) == ("NO", f"Payment not found: {pay_id}")


async def test_a_periods_payments_and_their_count(demo_http: httpx.AsyncClient):
    counted = answer(
        await post(demo_http, call("GetInvoicePaymentsCountforDateRange", WHOLE_RANGE))
    )
    assert _children(counted) == [
        "GetInvoicePaymentsCountforDateRangeResult",
        "Status",
        "StatusDetail",
    ]
    count = int(counted.findtext(f"{KF}GetInvoicePaymentsCountforDateRangeResult") or 0)

    paged = answer(
        await post(
            demo_http,
            call("GetInvoicePaymentsByDateRange", WHOLE_RANGE + "<PageNumber>1</PageNumber>"),
            "GetInvoicePaymentsByDateRange",
        )
    )

    assert status(paged) == ("OK", "")
    payments = paged.findall(f"{KF}GetInvoicePaymentsByDateRangeResult/{KF}Payment")
    assert 0 < len(payments) == count  # the demo's payments fit on one page
    days = [p.findtext(f"{KF}PayDate") or "" for p in payments]
    assert days == sorted(days)


async def test_a_period_without_its_dates_is_refused(demo_http: httpx.AsyncClient):
    body = call("GetInvoicePaymentsByDateRange", "<PageNumber>1</PageNumber>")

    element = answer(await post(demo_http, body, "GetInvoicePaymentsByDateRange"))

    assert status(element) == ("NO", "StartDate and EndDate are required")
    assert element.find(f"{KF}GetInvoicePaymentsByDateRangeResult") is None
