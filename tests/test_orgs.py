"""One organisation, however its name is written (`kith.orgs.org_key`)."""

from __future__ import annotations

import pytest

from kith.orgs import org_key


@pytest.mark.parametrize(
    "names",
    [
        ("Stripe", "Stripe Inc", "Stripe, Inc.", "STRIPE INC", "stripe  inc."),
        ("Company, The", "The Company"),
        ("Société Générale", "Societe Generale SA", "Société Générale S.A."),
        ("Muster GmbH", "Muster GmbH & Co. KG", "Muster"),
        ("Smith & Co", "Smith and Co.", "Smith"),
        ("Samsung Electronics Co., Ltd.", "Samsung Electronics"),
        ("Acme Pty Ltd", "ACME PTY. LTD.", "Acme"),
        ("Nokia Oyj", "Nokia"),
        ("Toyota K.K.", "Toyota"),
        ("The Walt Disney Company", "Walt Disney"),
    ],
)
def test_spellings_of_one_organisation_share_a_key(names):
    keys = {org_key(n) for n in names}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    "a, b",
    [
        ("Stripe", "Stripe Bank"),
        ("Johnson & Johnson", "Johnson"),
        ("Analytical Engines", "Analytical"),
        ("李氏", "Li Shi"),
    ],
)
def test_different_organisations_keep_different_keys(a, b):
    assert org_key(a) != org_key(b)


def test_a_name_that_is_only_a_legal_form_is_kept():
    assert org_key("Inc.") == "inc"
    assert org_key("The") == "the"
    assert org_key("") == ""
