"""The fake-stream evidence of one page as a vector of raw feature values, read from its reasons.

:func:`fake_features` turns an :class:`~pipelines.scoring.Assessment` into the values that the
hand-set ``fake_weights`` of ``thresholds.yaml`` multiply, before any weight: which signals fired,
each offer category's strongest term near the title (its lexicon weight), each negative category
found on the page, the template evidence, the catalogue card, the doorway and legal evidence. It
reads only the reasons (their shapes are the output contract), so detection is untouched.
:func:`hand_set_score` weighs such a vector the way :mod:`pipelines.scoring` does, which checks the
reading: on the labelled corpus it must give back every shipped verdict (``bench/learned_weights.py
--check``). Used by the learned-weights experiment (docs/learned_weights.md); no scikit-learn here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipelines.scoring import Assessment
from pipelines.watchlists import Watchlists

__all__ = ["fake_features", "feature_names", "hand_set_score"]

#: Signals whose reason starts with a fixed text: feature name -> that text.
_SIGNALS = {
    "cta": "call to action ",
    "play_button": "play button links off-platform",
    "shortener": "URL shortener ",
    "torrent": "a BitTorrent magnet",
    "stuffing": "keyword stuffing:",
    "title_in_heading": "title in the page title / heading",
    "player_page": "a video player page named after the title",
    "defanged": "defanged URL",
}
_LINK_FARM = re.compile(r"\d+ links to ")
_NESTING = "elements nested "
_TEMPLATE = re.compile(r'template "(.*)" \((\d+)\)$')
_AMOUNT = re.compile(r"\(([+-]\d+)\)")
_OFFER_TERM = re.compile(r"(.+) \(([a-z_]+)\)$")
#: Reason prefixes of proximity, doorway and legal evidence -> feature name.
_FLAGS = {
    "a pirate site's name and the title head the page": "site_headline",
    "page served by ": "legal_host",
    "points to ": "legal_named",
}
_LEGAL_LINK = re.compile(r"links to .+, a legal service$")
_DOORWAY = re.compile(r".+ and headed by the title \(\+\d+\): its safety advice counts x")


def _categories(wl: Watchlists, polarity: str) -> list[str]:
    cats = wl.lexicons.categories
    return [name for name, cat in cats.items() if cat.polarity == polarity]


def feature_names(wl: Watchlists) -> list[str]:
    """The features, in vector order."""
    return [
        "template_1",
        "template_2",
        "stream_words",
        *_SIGNALS,
        "link_farm",
        "deep_nesting",
        *(f"offer_{c}" for c in _categories(wl, "offer")),
        "site_headline",
        "structure",
        "catalogue_card",
        "card_copy",
        *(f"negative_{c}" for c in _categories(wl, "negative")),
        "negative_unshown",
        "headline_context",
        "doorway",
        "legal_host",
        "legal_named",
        "legal_link",
    ]


def _term_weights(wl: Watchlists) -> dict[tuple[str, str], float]:
    """(term as written, category) -> its strongest weight in any language."""
    out: dict[tuple[str, str], float] = {}
    for term in wl.lexicons.terms:
        key = (term.written, term.category)
        if key not in out or abs(term.weight) > abs(out[key]):
            out[key] = term.weight
    return out


def _negative_weights(wl: Watchlists) -> dict[str, tuple[str, float]]:
    """Negative term as written -> (category, weight), the strongest when several."""
    negative = set(_categories(wl, "negative"))
    out: dict[str, tuple[str, float]] = {}
    for (written, category), weight in _term_weights(wl).items():
        if category in negative and (written not in out or abs(weight) > abs(out[written][1])):
            out[written] = (category, weight)
    return out


def _amount(reason: str) -> float:
    found = _AMOUNT.findall(reason)
    return float(found[-1]) if found else 0.0


def fake_features(got: Assessment, wl: Watchlists) -> dict[str, float] | None:
    """The raw fake-stream features of a page as assessed, or None when no watched title was
    found on it (no fake-stream verdict is possible then)."""
    reasons = got.reasons
    if not reasons or not reasons[0].startswith("title≈"):
        return None
    f = dict.fromkeys(feature_names(wl), 0.0)
    weights = _term_weights(wl)
    negatives = _negative_weights(wl)
    specs = {spec.pattern: spec.weight for spec in wl.templates.templates}
    templates = 0
    nesting = 0
    for reason in reasons[1:]:
        template = _TEMPLATE.match(reason)
        if template and templates < 2:
            templates += 1
            score = int(template.group(2))
            f[f"template_{templates}"] = specs[template.group(1)] * score / 100
            continue
        signal = next((k for k, text in _SIGNALS.items() if reason.startswith(text)), None)
        if signal:
            f[signal] = 1.0
        elif _LINK_FARM.match(reason):
            f["link_farm"] = 1.0
        elif reason.startswith(_NESTING):
            nesting += 1
        elif reason.startswith("fake-stream words next to the title: "):
            shown = reason.removeprefix("fake-stream words next to the title: ").rpartition(" (")
            f["stream_words"] = len(shown[0].split(", ")) - 2  # the first two count nothing
        elif reason.startswith("offer words near the title: "):
            body = reason.removeprefix("offer words near the title: ").rpartition(" (")[0]
            for part in body.split(", "):
                term = _OFFER_TERM.match(part)
                if term:
                    written, category = term.groups()
                    f[f"offer_{category}"] = weights.get((written, category), 0.0)
        elif reason.startswith("catalogue furniture: "):
            f["structure"] = _amount(reason)
        elif reason.startswith("catalogue card "):
            f["catalogue_card"] = 1.0
            f["card_copy"] = 1.0 if "with labels of the copy" in reason else 0.0
        elif reason.startswith("context: "):
            total = _amount(reason) / wl.thresholds.fake_weights.get("negative_factor", 1)
            shown = reason.removeprefix("context: ").rpartition(" (")[0].split(", ")
            for written in shown:
                category, weight = negatives.get(written, ("", 0.0))
                if category:
                    f[f"negative_{category}"] += weight
                    total -= weight
            f["negative_unshown"] = total
        elif reason.startswith("headline context: "):
            f["headline_context"] = -_amount(reason) / -wl.thresholds.fake_weights.get(
                "negative", -30
            )
        elif _DOORWAY.match(reason):
            f["doorway"] = 1.0
        elif _LEGAL_LINK.match(reason):
            f["legal_link"] = 1.0
        else:
            flag = next((k for text, k in _FLAGS.items() if reason.startswith(text)), None)
            if flag and (flag != "legal_named" or reason.endswith("next to the title")):
                f[flag] = 1.0
    # the nesting signal is evidence of both kinds: once among the fake-stream reasons, once
    # among the lure reasons after them
    f["deep_nesting"] = 1.0 if nesting >= 2 else 0.0
    return f


def hand_set_score(f: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The fake-stream score :mod:`pipelines.scoring` gives a page with features ``f`` under
    ``weights`` (``fake_weights``): the positive evidence capped at 100, then the
    counter-evidence."""
    signals = sum(weights.get(k, 0) * f[k] for k in (*_SIGNALS, "link_farm", "deep_nesting"))
    offer = sum(v for k, v in f.items() if k.startswith("offer_"))
    positive = (
        f["template_1"]
        + f["template_2"] * weights.get("second_template_factor", 0.5)
        + min(
            f["stream_words"] * weights.get("stream_words", 10),
            weights.get("stream_words_cap", 40),
        )
        + signals
        + offer * weights.get("offer_factor", 1)
        + f["site_headline"] * weights.get("site_headline", 25)
        + f["structure"]
        + f["catalogue_card"] * weights.get("catalogue_card", 30)
        + f["card_copy"] * weights.get("card_copy", 15)
    )
    negative = sum(v for k, v in f.items() if k.startswith("negative_"))
    negative = max(negative * weights.get("negative_factor", 1), weights.get("negative_cap", -100))
    headline = max(weights.get("negative", -30) * f["headline_context"], -100)
    if f["doorway"]:
        negative = negative * weights.get("doorway_negative_factor", 0.5)
        negative += weights.get("doorway_host", 20)
    legal = (
        f["legal_host"] * weights.get("legal_host", -100)
        + f["legal_named"] * weights.get("legal_named", -40)
        + f["legal_link"] * weights.get("legal_link", -30)
    )
    return min(positive, 100.0) + headline + negative + legal
