"""Status=NO reasons become typed errors a person can act on."""

from __future__ import annotations

from decimal import Decimal

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


@pytest.mark.parametrize(
    ("detail", "sent", "kind"),
    [
        ("Customer not found: IP", ["IP"], errors.NotFoundError),
        ("Customer not found: ip", ["IP"], errors.NotFoundError),  # echoed in another case
        ("Customer 'MYPASSWORD' not found", ["MYPASSWORD"], errors.NotFoundError),
        ("No such customer: admin login", ["admin login"], errors.NotFoundError),
        ("Invalid code: in", ["in"], errors.InvalidRequestError),  # "invalid" keeps its "in"
        ("Code is required: ired", ["ired"], errors.InvalidRequestError),  # and "required" too
        ("Access denied: your IP address is not allowed", ["IP-01"], errors.IpNotAllowedError),
        ("Incorrect username or password", ["IP"], errors.AuthenticationError),
    ],
)
def test_values_the_request_sent_do_not_choose_the_error(
    detail: str, sent: list[str], kind: type
) -> None:
    error = errors.error_from_status("GetCustomer", detail, sent)
    assert type(error) is kind
    assert detail in str(error)  # the reason is shown whole


def test_sent_values_are_every_text_and_number_in_the_request() -> None:
    params = {
        "CustomerCode": " IP ",
        "custr": {"Name": "Acme", "Discount": Decimal("5.0"), "ExtraText1": "", "EC": True},
        "Lines": [{"Qty": 2}, {"Rate": 1.5}],
    }
    assert errors.sent_values(params, "bookkeeper") == [
        "bookkeeper", "Acme", "1.5", "5.0", "IP", "2",
    ]  # fmt: skip
