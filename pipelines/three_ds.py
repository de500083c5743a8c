"""The card issuer's payment check (3-D Secure) drawn on a foreign host, with no bank named.

Kits copy the issuer's challenge page ("Verified by Visa", "Mastercard ID Check", "enter the code
sent to your phone to confirm this purchase") after a card form: the bank is implicit and the only
names are the card scheme's programme, often only in a logo's alt text or file name
(``vbv.gif``, ``mc_idcheck.svg``). Real challenge pages are served by the bank itself (a listed
brand's domain) or by an access control server (``acs_domains``), never by a shop or a free host;
a shop's checkout names the programmes too, but asks for the card, not for the code
(docs/detection.md, "Kit pages, fourth round").
"""

from __future__ import annotations

import re

from pipelines.brands import BrandIndex, ThreeDSecure
from pipelines.normalise import normalise
from pipelines.signals import PageDoc, Signal
from pipelines.urls import registrable_domain

__all__ = ["three_ds_signal"]

#: A card number shown masked ("XXXX XXXX XXXX 4417", "************7712") or by its last digits
#: after the word for a card ("Card ending 0093", "Cartão final 5530").
_MASKED_CARD = re.compile(
    r"(?:[x*•]{4}[ -]?){1,3}\d{4}\b"
    r"|\b(?:card|carte|tarjeta|cart[aã]o|karte|carta|kart|kaart)\b[^.\n\d]{0,30}\d{4}\b",
    re.IGNORECASE,
)
#: How much of a page's visible text is read for a masked card.
_CARD_TEXT = 20_000


def three_ds_signal(
    doc: PageDoc, folded: str, brands: BrandIndex, asks_code: bool
) -> Signal | None:
    """A 3-D Secure look-alike (``brand_lure``): a code step (``asks_code``) naming a card
    scheme's programme, or worded as a payment confirmation beside a masked card, on a host that
    is not an access control server's (the caller has left the brands' own domains out)."""
    three_ds = brands.file.three_d_secure
    if three_ds is None or not asks_code:
        return None
    if registrable_domain(doc.host) in three_ds.acs_domains:
        return None
    cue = _programme_cue(doc, folded, three_ds) or _confirmation_cue(doc, folded, three_ds)
    if cue is None:
        return None
    named, evidence = cue
    scheme = next((b for b in brands.named(named) if b in brands.schemes), "")
    prefix = f"{scheme} " if scheme else ""
    reason = f"{prefix}3-D Secure one-time-code step on a foreign host {doc.host} ({evidence})"
    return Signal("brand_lure", reason)


def _programme_cue(doc: PageDoc, folded: str, three_ds: ThreeDSecure) -> tuple[str, str] | None:
    """A programme named in the page's text (alt texts included) or a logo file named for one."""
    padded = f" {folded} "
    for programme in three_ds.programmes:
        if f" {normalise(programme)} " in padded:
            return programme, f'"{programme}" on the page'
    for url in doc.furniture.assets:
        name = url.split("?", 1)[0].rsplit("/", 1)[-1].lower()
        words = [w for w in re.split(r"[^a-z0-9]+", name.rsplit(".", 1)[0]) if w]
        found = {*words, "".join(words)}
        for asset in three_ds.assets:
            if asset.replace("-", "") in found:
                return asset, f"logo file {name[:40]}"
    return None


def _confirmation_cue(doc: PageDoc, folded: str, three_ds: ThreeDSecure) -> tuple[str, str] | None:
    """Payment-confirmation wording ("confirm this purchase") beside a masked card number."""
    padded = f" {folded} "
    wording = next((w for w in three_ds.confirmation if f" {normalise(w)} " in padded), None)
    if wording is None or _MASKED_CARD.search(doc.text[:_CARD_TEXT]) is None:
        return None
    return wording, f'"{wording}" beside a masked card number'
