"""Credit notes, notes, typed invoices and piecemeal edits on the wire: hand-written envelopes
in, as KashFlow's documentation and WSDL lay them out, raw XML elements checked out."""

from __future__ import annotations

import httpx
import pytest

from kashflow_mcp.kashflow.wsdl_types import record_fields

from .soap import KF, answer, call, local, post, status

pytestmark = pytest.mark.anyio
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

CUSTOMER = "<custr><Name>Wire Works Ltd</Name></custr>"

# Invoice_TypeDefined carries its lines as <InvoiceLine> elements: no anyType, no xsi:type.
INSERT_TYPED = """<Inv_TD>
        <InvoiceDBID>0</InvoiceDBID>
        <InvoiceNumber>0</InvoiceNumber>
        <InvoiceDate>2026-01-05T00:00:00</InvoiceDate>
        <DueDate>2026-02-04T00:00:00</DueDate>
        <CustomerID>{customer}</CustomerID>
        <Paid>0</Paid>
        <SuppressTotal>0</SuppressTotal>
        <ProjectID>0</ProjectID>
        <CurrencyCode>GBP</CurrencyCode>
        <ExchangeRate>1</ExchangeRate>
        <Lines>
          <InvoiceLine>
            <Quantity>{quantity}</Quantity>
            <Description>Returned goods</Description>
            <Rate>50</Rate>
            <ChargeType>0</ChargeType>
            <VatRate>20</VatRate>
            <VatAmount>0</VatAmount>
            <ProductID>0</ProductID>
            <Sort>1</Sort>
            <ProjID>0</ProjID>
            <LineID>0</LineID>
            <ValuesInCurrency>0</ValuesInCurrency>
          </InvoiceLine>
        </Lines>
        <NetAmount>0</NetAmount>
        <VATAmount>0</VATAmount>
        <AmountPaid>0</AmountPaid>
      </Inv_TD>"""


async def result(http: httpx.AsyncClient, operation: str, inner: str = "") -> str:
    element = answer(await post(http, call(operation, inner), operation))
    assert status(element) == ("OK", ""), status(element)
    return element.findtext(f"{KF}{operation}Result") or ""


async def typed_document(http: httpx.AsyncClient, customer: int, quantity: str) -> int:
    inner = INSERT_TYPED.format(customer=customer, quantity=quantity)
    return int(await result(http, "InsertInvoice_TypeDefined", inner))


async def dbid(http: httpx.AsyncClient, number: int) -> int:
    response = await post(http, call("GetInvoice", f"<InvoiceNumber>{number}</InvoiceNumber>"))
    return int(answer(response).findtext(f"{KF}GetInvoiceResult/{KF}InvoiceDBID") or 0)


async def test_a_typed_insert_and_read_use_typed_lines(http: httpx.AsyncClient):
    customer = int(await result(http, "InsertCustomer", CUSTOMER))
    number = await typed_document(http, customer, "2")

    response = await post(
        http,
        call("GetInvoice_TypeDefined", f"<InvoiceNumber>{number}</InvoiceNumber>"),
        "GetInvoice_TypeDefined",
    )

    element = answer(response)
    assert [local(child.tag) for child in element] == [
        "GetInvoice_TypeDefinedResult",
        "Status",
        "StatusDetail",
    ]
    invoice = element.find(f"{KF}GetInvoice_TypeDefinedResult")
    assert invoice is not None
    wanted = [name for name, _ in record_fields("Invoice_TypeDefined")]
    assert [local(child.tag) for child in invoice] == wanted
    lines = invoice.findall(f"{KF}Lines/{KF}InvoiceLine")
    assert len(lines) == 1 and lines[0].get(XSI_TYPE) is None
    assert lines[0].findtext(f"{KF}VatAmount") == "20.00"
    assert invoice.findtext(f"{KF}NetAmount") == "100.00"


async def test_apply_credit_note_to_invoice_answers_true(http: httpx.AsyncClient):
    customer = int(await result(http, "InsertCustomer", CUSTOMER))
    invoice = await dbid(http, await typed_document(http, customer, "2"))
    note = await dbid(http, await typed_document(http, customer, "-1"))

    answered = await result(
        http,
        "applyCreditNoteToInvoice",
        f"<InvoiceID>{invoice}</InvoiceID><CreditNoteID>{note}</CreditNoteID>",
    )

    assert answered == "true"


async def test_apply_credit_note_refusal_is_status_no_with_a_false_result(
    http: httpx.AsyncClient,
):
    customer = int(await result(http, "InsertCustomer", CUSTOMER))
    invoice = await dbid(http, await typed_document(http, customer, "2"))

    inner = f"<InvoiceID>{invoice}</InvoiceID><CreditNoteID>{invoice}</CreditNoteID>"
    element = answer(await post(http, call("applyCreditNoteToInvoice", inner)))

    code, detail = status(element)
    assert code == "NO" and "not a credit note" in detail
    assert element.findtext(f"{KF}applyCreditNoteToInvoiceResult") in (None, "false")


async def test_notes_go_in_and_come_out_as_invoice_notes(http: httpx.AsyncClient):
    customer = int(await result(http, "InsertCustomer", CUSTOMER))
    invoice = await dbid(http, await typed_document(http, customer, "1"))

    added = await result(
        http,
        "InsertInvoiceNote",
        f"<InvoiceId>{invoice}</InvoiceId><NoteDate>2026-01-06T00:00:00</NoteDate>"
        "<Notes>Chased by phone &amp; email</Notes>",
    )
    response = await post(
        http, call("GetInvoiceNotes", f"<InvoiceId>{invoice}</InvoiceId>"), "GetInvoiceNotes"
    )

    assert added == "true"
    notes = answer(response).findall(f"{KF}GetInvoiceNotesResult/{KF}InvoiceNotes")
    assert len(notes) == 1
    assert [local(child.tag) for child in notes[0]] == ["InvoiceId", "NoteId", "NoteDate", "Notes"]
    assert notes[0].findtext(f"{KF}InvoiceId") == str(invoice)
    assert notes[0].findtext(f"{KF}NoteDate") == "2026-01-06T00:00:00"
    assert notes[0].findtext(f"{KF}Notes") == "Chased by phone & email"


async def test_header_update_and_line_delete_answer_as_the_wsdl_says(http: httpx.AsyncClient):
    customer = int(await result(http, "InsertCustomer", CUSTOMER))
    number = await typed_document(http, customer, "1")
    response = await post(http, call("GetInvoice", f"<InvoiceNumber>{number}</InvoiceNumber>"))
    line_id = answer(response).findtext(f"{KF}GetInvoiceResult/{KF}Lines/{KF}anyType/{KF}LineID")

    header = answer(
        await post(
            http,
            call(
                "UpdateInvoiceHeader",
                f"<Inv><InvoiceNumber>{number}</InvoiceNumber><CustomerID>{customer}"
                "</CustomerID><InvoiceDate>2026-01-07T00:00:00</InvoiceDate>"
                "<CustomerReference>Header only</CustomerReference></Inv>",
            ),
            "UpdateInvoiceHeader",
        )
    )
    deleted = await result(
        http,
        "DeleteInvoiceLine",
        f"<LineID>{line_id}</LineID><InvoiceNumber>{number}</InvoiceNumber>",
    )

    # UpdateInvoiceHeaderResponse holds Status and StatusDetail only.
    assert [local(child.tag) for child in header] == ["Status", "StatusDetail"]
    assert status(header) == ("OK", "")
    assert deleted == "1"
