"""Embedded answers (Cloze): a text with gaps, each gap a short answer, a choice or a number (Moodle's
multianswer question).

The text is the question's ``prompt``: it marks gap N with ``{#N}`` (as Moodle stores it). Data::

    {"gaps": [
      {"key": "1", "type": "short", "weight": 1, "answers": [{"text": "act", "weight": 100, "feedback": "…"},
                                                             {"text": "action", "weight": 50}]},
      {"key": "2", "type": "choice", "weight": 2, "display": "select", "multiple": false,
       "options": [{"key": "a", "text": "…", "weight": 100}, {"key": "b", "text": "…", "weight": 0}]},
      {"key": "3", "type": "numerical", "weight": 1, "answers": [{"value": 18, "weight": 100}]}
    ]}

Gap keys are their numbers ``"1"``, ``"2"``, … in order; ``weight`` is the gap's marks (a whole number
1–100; the question's points are the sum). Answers and options carry a ``weight`` in percent: the share of
the gap's marks they earn (0 to 100; a ``multiple`` choice's options −100 to 100, the chosen weights add up,
between 0 and 100 %). A short gap compares like the short kind (case, spaces, punctuation and look-alike
letters ignored) unless ``case_sensitive``; a numerical gap's answers are those of the numerical kind
(``value`` ± ``tolerance`` or ``min``..``max``). ``display`` of a choice: ``select`` (a drop-down),
``vertical`` or ``horizontal`` (radio buttons, check boxes when ``multiple``); ``shuffle`` optional.

Response: ``{"1": "typed text", "2": "a", "3": "18", "4": ["a", "c"]}`` (gap key → text, option key, the
number as a decimal string, or option keys); gaps left empty are absent; ``{}`` is "not answered". The
score is the weighted mean of the gaps' fractions; ``parts`` is ``{gap key: fraction}``.

Editors and files write the gaps in Moodle's syntax, ``{2:SHORTANSWER:=Berlin#Right~%50%Berlin city#Half}``:
the weight, the type (SHORTANSWER/SA/MW, SHORTANSWER_C/SAC/MWC case-sensitive, MULTICHOICE/MC, MCV, MCH,
MULTIRESPONSE/MR, MRH and the shuffled ``…S`` variants, NUMERICAL/NM), then the answers separated by ``~``:
``=`` (100 %) or ``%n%`` before the text, ``#feedback`` after it; ``\\}``, ``\\~``, ``\\#`` and ``\\\\``
escape. Other types (REGEXP, …) are refused. Moodle XML ``<question type="cloze">`` maps to this kind; GIFT
has no such question (the GIFT export skips it with a warning); paper answer sheets cannot hold it.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.interchange import common as c
from assessments.normalise import answer_normalise, text_script

from . import numerical as n
from .base import ONE, SHORT_MAX_CHARS, ZERO, Kind, ResponseError, _format_lazy, is_key, msg, nfc, number, ordered, texts
from .editing import EditorForm, KindEditor, form_number

MAX_GAPS = 50
MAX_GAP_WEIGHT = 100
GAP_TYPES = ("short", "choice", "numerical")
DISPLAYS = ("select", "vertical", "horizontal")
MARKER = re.compile(r"\{#(\d{1,3})\}")
# one gap in Moodle's syntax: {weight:TYPE:answers}, "}" escaped as "\}"
GAP_SYNTAX = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}", re.S)
ANSWER_PREFIX = re.compile(r"^\s*(=|%(-?\d+(?:[.,]\d*)?)%)?(.*)$", re.S)

# Moodle's subquestion types: (type, display, multiple, shuffle, case sensitive)
MOODLE_TYPES = {}
for _names, _spec in (
    (("SHORTANSWER", "SA", "MW"), ("short", None, False, False, False)),
    (("SHORTANSWER_C", "SAC", "MWC"), ("short", None, False, False, True)),
    (("NUMERICAL", "NM"), ("numerical", None, False, False, False)),
    (("MULTICHOICE", "MC"), ("choice", "select", False, False, False)),
    (("MULTICHOICE_S", "MCS"), ("choice", "select", False, True, False)),
    (("MULTICHOICE_V", "MCV"), ("choice", "vertical", False, False, False)),
    (("MULTICHOICE_VS", "MCVS"), ("choice", "vertical", False, True, False)),
    (("MULTICHOICE_H", "MCH"), ("choice", "horizontal", False, False, False)),
    (("MULTICHOICE_HS", "MCHS"), ("choice", "horizontal", False, True, False)),
    (("MULTIRESPONSE", "MR"), ("choice", "vertical", True, False, False)),
    (("MULTIRESPONSE_S", "MRS"), ("choice", "vertical", True, True, False)),
    (("MULTIRESPONSE_H", "MRH"), ("choice", "horizontal", True, False, False)),
    (("MULTIRESPONSE_HS", "MRHS"), ("choice", "horizontal", True, True, False)),
):
    for _name in _names:
        MOODLE_TYPES[_name] = _spec
WRITTEN_CHOICE_TYPES = {
    ("select", False): "MULTICHOICE",
    ("vertical", False): "MULTICHOICE_V",
    ("horizontal", False): "MULTICHOICE_H",
    ("vertical", True): "MULTIRESPONSE",
    ("horizontal", True): "MULTIRESPONSE_H",
}

GAP_LABEL = _("Gap %(number)s of %(total)s")
ADD_A_GAP = _("Add at least one gap.")
GAP_UNSUPPORTED = _(
    "gap %(number)s has the type “%(type)s”, which is not supported here: use SHORTANSWER, MULTICHOICE, "
    "MULTIRESPONSE or NUMERICAL (and their short forms)."
)
GAP_NO_ANSWERS = _("gap %(number)s has no answers.")
GAP_EMPTY_ANSWER = _("gap %(number)s: answer %(answer)s has no text.")
GAP_ANSWER_TOO_LONG = _("gap %(number)s: answer %(answer)s is longer than the %(limit)s characters a response may have.")
GAP_BAD_WEIGHT = _("gap %(number)s: the weight “%(weight)s” of answer %(answer)s is not a percentage from %(low)s to 100.")
GAP_NO_FULL = _("gap %(number)s: at least one answer must earn all its marks (= or %%100%%).")
GAP_MULTIPLE_SHORT = _("gap %(number)s: the chosen answers can earn at most %(total)s %% of its marks; they must be able to earn 100 %%.")
GAP_NOT_A_NUMBER = _("gap %(number)s: the answer “%(answer)s” is not a number (write 18, 3.5 or 3.5:0.1 for a tolerance).")
GAP_TOO_FEW_OPTIONS = _("gap %(number)s: a choice needs at least two options.")
GAP_MARKS = _("gap %(number)s: its marks must be a whole number from 1 to %(limit)s.")
GAP_LINE = _("Line %(line)s: write one gap in braces, such as {1:SHORTANSWER:=answer}.")
GAP_LINE_PROBLEM = _("Line %(line)s: %(problem)s")
PROMPT_MARKER_MISSING = _("The question text has no place for gap %(number)s: write {#%(number)s} where it goes.")
PROMPT_MARKER_TWICE = _("The question text has {#%(number)s} more than once.")
PROMPT_MARKER_UNKNOWN = _("The question text has {#%(number)s}, but there is no gap %(number)s.")
POINTS_ARE_SUM = _("The points of an embedded-answers question are the sum of its gaps' marks: %(total)s.")
# import and export
CLOZE_NO_GAPS = _("the text has no embedded answers (such as {1:SHORTANSWER:=answer}).")
EXPORT_CLOZE_GIFT = _(
    "GIFT has no embedded-answers (Cloze) questions, so it is not exported. Export it to Moodle XML instead."
)
EXPORT_CLOZE_POINTS = _(
    "Moodle gives an embedded-answers question the sum of its gaps' marks as points: its %(points)s points "
    "come back as %(total)s."
)


# --- data -------------------------------------------------------------------------------------------------


def gaps_of(data) -> list:
    gaps = data.get("gaps") if isinstance(data, dict) else None
    return [gap for gap in gaps if isinstance(gap, dict)] if isinstance(gaps, list) else []


def marks(gap) -> int:
    """A gap's marks; 0 when the stored value is not a whole number (scoring never fails on old data)."""
    weight = gap.get("weight", 1)
    return weight if isinstance(weight, int) and not isinstance(weight, bool) and weight > 0 else 0


def total_weight(data) -> int:
    return sum(marks(gap) for gap in gaps_of(data))


def _percent(value, *, low=0) -> Fraction | None:
    weight = number(value)
    return weight if weight is not None and low <= weight <= 100 else None


def _check_gap(gap, position, problems):
    number_ = str(position)
    if gap.get("key") != number_:
        problems.append(msg(_("Gap %(number)s must have the key “%(number)s”."), number=position))
    weight = gap.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= MAX_GAP_WEIGHT:
        problems.append(msg(GAP_MARKS, number=position, limit=MAX_GAP_WEIGHT))
    kind = gap.get("type")
    if kind not in GAP_TYPES:
        problems.append(msg(_("Gap %(number)s: the type must be one of: %(types)s."), number=position, types=", ".join(GAP_TYPES)))
        return
    if "feedback" in gap:
        problems.append(msg(_("Gap %(number)s: feedback belongs to its answers."), number=position))
    if kind == "choice":
        _check_choice(gap, position, problems)
        return
    answers = gap.get("answers")
    if not isinstance(answers, list) or not answers:
        problems.append(msg(GAP_NO_ANSWERS, number=position))
        return
    full = False
    for index, answer in enumerate(answers, start=1):
        if not isinstance(answer, dict):
            problems.append(msg(GAP_EMPTY_ANSWER, number=position, answer=index))
            continue
        weight = _percent(answer.get("weight", 100))
        if weight is None:
            problems.append(msg(GAP_BAD_WEIGHT, number=position, answer=index, weight=answer.get("weight"), low=0))
        elif weight == 100:
            full = True
        if "feedback" in answer and not isinstance(answer["feedback"], str):
            problems.append(msg(_("“%(field)s” must be text."), field="feedback"))
        if kind == "short":
            text = answer.get("text")
            if not isinstance(text, str) or not text.strip():
                problems.append(msg(GAP_EMPTY_ANSWER, number=position, answer=index))
            elif len(text.strip()) > SHORT_MAX_CHARS:
                problems.append(msg(GAP_ANSWER_TOO_LONG, number=position, answer=index, limit=SHORT_MAX_CHARS))
        elif n._bounds(answer) is None:
            problems.append(msg(GAP_NOT_A_NUMBER, number=position, answer=answer.get("value", answer.get("min", "?"))))
    if kind == "short" and "case_sensitive" in gap and not isinstance(gap["case_sensitive"], bool):
        problems.append(_("“case_sensitive” must be true or false."))
    if not full:
        problems.append(msg(GAP_NO_FULL, number=position))


def _check_choice(gap, position, problems):
    multiple = gap.get("multiple", False)
    display = gap.get("display", "select")
    if not isinstance(multiple, bool):
        problems.append(_("“multiple” must be true or false."))
        multiple = False
    if display not in DISPLAYS or (multiple and display == "select"):
        problems.append(msg(_("Gap %(number)s: the display must be one of: %(displays)s (check boxes cannot be a drop-down)."), number=position, displays=", ".join(DISPLAYS)))
    if "shuffle" in gap and not isinstance(gap["shuffle"], bool):
        problems.append(_("“shuffle” must be true or false."))
    options = gap.get("options")
    if not isinstance(options, list) or len(options) < 2:
        problems.append(msg(GAP_TOO_FEW_OPTIONS, number=position))
        return
    keys, full, total = set(), False, ZERO
    for index, option in enumerate(options, start=1):
        if not isinstance(option, dict) or not isinstance(option.get("text"), str) or not option["text"].strip():
            problems.append(msg(GAP_EMPTY_ANSWER, number=position, answer=index))
            continue
        key = option.get("key")
        if not is_key(key) or key in keys:
            problems.append(msg(_("Gap %(number)s: option %(answer)s needs a key of its own."), number=position, answer=index))
        keys.add(key)
        weight = _percent(option.get("weight", 0), low=-100 if multiple else 0)
        if weight is None:
            problems.append(msg(GAP_BAD_WEIGHT, number=position, answer=index, weight=option.get("weight"), low=-100 if multiple else 0))
            continue
        full = full or weight == 100
        total += max(weight, ZERO)
        if "feedback" in option and not isinstance(option["feedback"], str):
            problems.append(msg(_("“%(field)s” must be text."), field="feedback"))
    if multiple and total < 100:
        problems.append(msg(GAP_MULTIPLE_SHORT, number=position, total=c.format_number(total, 2)))
    elif not multiple and not full and options:
        problems.append(msg(GAP_NO_FULL, number=position))


def _check_cloze(data, problems):
    gaps = data.get("gaps")
    if not isinstance(gaps, list):
        problems.append(msg(_("“%(field)s” must be a list."), field="gaps"))
        return
    if not gaps:
        problems.append(ADD_A_GAP)
    if len(gaps) > MAX_GAPS:
        problems.append(msg(_("An embedded-answers question has at most %(limit)s gaps."), limit=MAX_GAPS))
    for position, gap in enumerate(gaps, start=1):
        if not isinstance(gap, dict):
            problems.append(msg(_("Entry %(number)s of “%(field)s” must be an object."), number=position, field="gaps"))
            continue
        _check_gap(gap, position, problems)


def prompt_problems(prompt: str, data: dict) -> list:
    """How the markers ``{#N}`` of the question text disagree with the gaps (each exactly once)."""
    found = MARKER.findall(prompt or "")
    keys = [gap.get("key") for gap in gaps_of(data)]
    problems = []
    for key in keys:
        count = found.count(key)
        if count == 0:
            problems.append(msg(PROMPT_MARKER_MISSING, number=key))
        elif count > 1:
            problems.append(msg(PROMPT_MARKER_TWICE, number=key))
    for key in dict.fromkeys(found):
        if key not in keys:
            problems.append(msg(PROMPT_MARKER_UNKNOWN, number=key))
    return problems


# --- responses and scores ------------------------------------------------------------------------------------


def _option_keys(gap):
    return [option.get("key") for option in gap.get("options") or [] if isinstance(option, dict)]


def _validate_cloze(data, response):
    if not isinstance(response, dict):
        raise ResponseError(_("The answer must map each gap to what was written or chosen."))
    gaps = {gap.get("key"): gap for gap in gaps_of(data)}
    total = len(gaps)
    clean = {}
    for key, value in response.items():
        key = nfc(key)
        gap = gaps.get(key)
        if gap is None:
            raise ResponseError(msg(_("The question has no gap “%(key)s”."), key=key))
        label = msg(GAP_LABEL, number=key, total=total)
        if value is None or value == "" or value == []:
            continue
        if gap.get("type") == "choice" and gap.get("multiple"):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ResponseError(msg(_("%(gap)s: choose among its options."), gap=label))
            chosen = list(dict.fromkeys(nfc(item) for item in value if item))
            if any(item not in _option_keys(gap) for item in chosen):
                raise ResponseError(msg(_("%(gap)s: choose among its options."), gap=label))
            if chosen:
                clean[key] = chosen
        elif gap.get("type") == "choice":
            if not isinstance(value, str) or nfc(value) not in _option_keys(gap):
                raise ResponseError(msg(_("%(gap)s: choose among its options."), gap=label))
            clean[key] = nfc(value)
        elif not isinstance(value, str):
            raise ResponseError(msg(_("%(gap)s: the answer must be text."), gap=label))
        elif not value.strip():
            continue
        elif gap.get("type") == "numerical":
            parsed = n.parse_number(value)
            if parsed is None:
                raise ResponseError(msg(_("%(gap)s: enter a number, for example 12 or 3.5."), gap=label))
            clean[key] = format(parsed, "f")
        else:
            text = value.strip()
            if len(text) > SHORT_MAX_CHARS:
                raise ResponseError(
                    msg(_("%(gap)s: the answer is too long; at most %(limit)s characters are allowed."), gap=label, limit=SHORT_MAX_CHARS)
                )
            clean[key] = text
    return clean or None


def _same_text(gap, typed: str, accepted: str) -> bool:
    if gap.get("case_sensitive"):
        return " ".join(nfc(typed).split()) == " ".join(nfc(accepted).split())
    hint = text_script(accepted)
    expected = answer_normalise(accepted, script_hint=hint)
    return bool(expected) and answer_normalise(typed, script_hint=hint) == expected


def gap_result(gap, value) -> tuple[Fraction, dict | None]:
    """(fraction of the gap's marks, the answer or option that earned it, for its feedback)."""
    kind = gap.get("type")
    if value is None:
        return ZERO, None
    if kind == "choice":
        options = {option.get("key"): option for option in gap.get("options") or [] if isinstance(option, dict)}
        if gap.get("multiple"):
            chosen = [options[key] for key in value if key in options] if isinstance(value, list) else []
            total = sum((number(option.get("weight", 0)) or ZERO for option in chosen), ZERO) / 100
            return min(ONE, max(ZERO, total)), None
        option = options.get(value) if isinstance(value, str) else None
        if option is None:
            return ZERO, None
        return min(ONE, max(ZERO, (number(option.get("weight", 0)) or ZERO) / 100)), option
    if not isinstance(value, str):
        return ZERO, None
    best, chosen = ZERO, None
    if kind == "numerical":
        parsed = n.parse_number(value)
        if parsed is None:
            return ZERO, None
        typed = Fraction(parsed)
        for answer in gap.get("answers") or []:
            bounds = n._bounds(answer) if isinstance(answer, dict) else None
            weight = _percent(answer.get("weight", 100)) if bounds else None
            if bounds and weight is not None and bounds[0] <= typed <= bounds[1] and (chosen is None or weight / 100 > best):
                best, chosen = weight / 100, answer
        return best, chosen
    for answer in gap.get("answers") or []:
        if not isinstance(answer, dict) or not isinstance(answer.get("text"), str):
            continue
        weight = _percent(answer.get("weight", 100))
        if weight is not None and _same_text(gap, value, answer["text"]) and (chosen is None or weight / 100 > best):
            best, chosen = weight / 100, answer
    return best, chosen


def _score_cloze(data, response):
    if not isinstance(response, dict) or not response:
        return None
    gaps = gaps_of(data)
    total = total_weight(data)
    if not total:
        return None
    parts, earned = {}, ZERO
    for gap in gaps:
        fraction, _answer = gap_result(gap, response.get(gap.get("key")))
        parts[str(gap.get("key"))] = fraction
        earned += fraction * marks(gap)
    return earned / total, parts


# --- Moodle's syntax --------------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def _escape(text: str) -> str:
    text = (text or "").replace("\\", "\\\\")
    for character in "}~#":
        text = text.replace(character, "\\" + character)
    return text


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` not escaped with a backslash (escapes kept)."""
    parts, current, escaped = [], "", False
    for character in text:
        if escaped:
            current += character
            escaped = False
        elif character == "\\":
            current += character
            escaped = True
        elif character == separator:
            parts.append(current)
            current = ""
        else:
            current += character
    parts.append(current)
    return parts


def _weight_value(value: Decimal):
    return form_number(value.quantize(Decimal("0.00001")).normalize())


def parse_gap(syntax_type: str, weight_text: str, body: str, position: int, *, in_html: bool) -> tuple[dict | None, list]:
    """One gap from Moodle's syntax (its parts after the braces are taken off); (gap, problems)."""
    problems: list = []
    spec = MOODLE_TYPES.get(syntax_type.upper())
    if spec is None:
        return None, [msg(GAP_UNSUPPORTED, number=position, type=syntax_type)]
    kind, display, multiple, shuffle, case_sensitive = spec
    marks = int(weight_text) if weight_text else 1
    if not 1 <= marks <= MAX_GAP_WEIGHT:
        problems.append(msg(GAP_MARKS, number=position, limit=MAX_GAP_WEIGHT))
    gap: dict = {"key": str(position), "type": kind, "weight": marks}
    entries = []
    for index, raw in enumerate(_split(body, "~"), start=1):
        if not raw.strip() and index > 1 and kind != "choice":
            continue
        match = ANSWER_PREFIX.match(raw)
        prefix, percent, rest = match.group(1), match.group(2), match.group(3)
        pieces = _split(rest, "#")
        text, feedback = _unescape(pieces[0]), _unescape("#".join(pieces[1:]))
        if in_html:
            text, feedback = c.html_to_text(text), c.html_to_text(feedback)
        else:
            text, feedback = " ".join(text.split()), " ".join(feedback.split())
        if prefix == "=":
            weight = Decimal(100)
        elif percent is not None:
            try:
                weight = Decimal(percent.replace(",", "."))
            except InvalidOperation:
                weight = Decimal(-1000)
        else:
            weight = Decimal(0)
        if not text:
            problems.append(msg(GAP_EMPTY_ANSWER, number=position, answer=index))
            continue
        low = -100 if multiple else 0
        if not low <= weight <= 100:
            problems.append(msg(GAP_BAD_WEIGHT, number=position, answer=index, weight=percent or "", low=low))
            continue
        entries.append((text, weight, feedback))
    if not entries and not problems:
        problems.append(msg(GAP_NO_ANSWERS, number=position))
    if problems:
        return None, problems
    if kind == "choice":
        gap["display"] = display
        gap["multiple"] = multiple
        if shuffle:
            gap["shuffle"] = True
        gap["options"] = []
        for key, (text, weight, feedback) in zip(c.letter_keys(len(entries)), entries, strict=True):
            option = {"key": key, "text": text, "weight": _weight_value(weight)}
            if feedback:
                option["feedback"] = feedback
            gap["options"].append(option)
    else:
        if case_sensitive:
            gap["case_sensitive"] = True
        gap["answers"] = []
        for text, weight, feedback in entries:
            if kind == "numerical":
                answer = _numerical_answer(text)
                if answer is None:
                    problems.append(msg(GAP_NOT_A_NUMBER, number=position, answer=c.shorten(text, c.SHOWN_TEXT_CHARS)))
                    continue
            else:
                answer = {"text": text}
            answer["weight"] = _weight_value(weight)
            if feedback:
                answer["feedback"] = feedback
            gap["answers"].append(answer)
    check: list = []
    if not problems:
        _check_gap(gap, position, check)
    problems += check
    return (None if problems else gap), problems


def _numerical_answer(text: str) -> dict | None:
    if ".." in text:
        low_text, _dots, high_text = text.partition("..")
        low, high = n.parse_number(low_text), n.parse_number(high_text)
        if low is None or high is None or high < low:
            return None
        return {"min": form_number(low), "max": form_number(high)}
    value_text, _colon, tolerance_text = text.partition(":")
    value = n.parse_number(value_text)
    tolerance = n.parse_number(tolerance_text) if tolerance_text.strip() else Decimal(0)
    if value is None or tolerance is None or tolerance < 0:
        return None
    answer = {"value": form_number(value)}
    if tolerance:
        answer["tolerance"] = form_number(tolerance)
    return answer


def parse_text(text: str, *, in_html: bool) -> tuple[str, list, list]:
    """(text with each gap replaced by ``{#N}``, the gaps, problems) of a text with gaps in Moodle's syntax."""
    gaps, problems, pieces = [], [], []
    for match in GAP_SYNTAX.finditer(text or ""):
        position = len(pieces) + 1
        gap, found = parse_gap(match.group(2), match.group(1), match.group(3), position, in_html=in_html)
        problems += found
        gaps.append(gap)
        pieces.append((match.start(), match.end(), position))
    out, last = [], 0
    for start, end, position in pieces:
        out.append(text[last:start])
        out.append("{#%d}" % position)
        last = end
    out.append((text or "")[last:])
    return "".join(out), [gap for gap in gaps if gap is not None], problems


def _answer_syntax(text: str, weight, feedback: str, *, in_html: bool) -> str:
    weight = number(weight)
    prefix = "=" if weight == 100 else ("" if not weight else f"%{c.format_number(float(weight), 5)}%")
    if in_html:
        text, feedback = html.escape(text, quote=False), html.escape(feedback or "", quote=False)
    written = prefix + _escape(text)
    if feedback:
        written += "#" + _escape(feedback)
    return written


def gap_syntax(gap: dict, *, in_html: bool = False) -> str:
    """One gap in Moodle's syntax (``parse_gap`` reads it back)."""
    kind = gap.get("type")
    if kind == "choice":
        syntax_type = WRITTEN_CHOICE_TYPES.get((gap.get("display", "select"), bool(gap.get("multiple"))), "MULTICHOICE")
        if gap.get("shuffle"):
            syntax_type += "S" if "_" in syntax_type else "_S"
        answers = [
            _answer_syntax(option.get("text", ""), option.get("weight", 0), option.get("feedback", ""), in_html=in_html)
            for option in gap.get("options") or []
        ]
    else:
        syntax_type = "NUMERICAL" if kind == "numerical" else ("SHORTANSWER_C" if gap.get("case_sensitive") else "SHORTANSWER")
        answers = []
        for answer in gap.get("answers") or []:
            if kind == "numerical":
                if "min" in answer or "max" in answer:
                    text = f"{n.plain_number(answer['min'])}..{n.plain_number(answer['max'])}"
                else:
                    text = n.plain_number(answer["value"])
                    if number(answer.get("tolerance", 0)):
                        text += ":" + n.plain_number(answer["tolerance"])
            else:
                text = answer.get("text", "")
            answers.append(_answer_syntax(text, answer.get("weight", 100), answer.get("feedback", ""), in_html=in_html))
    return "{%s:%s:%s}" % (gap.get("weight", 1), syntax_type, "~".join(answers))


def expand_text(prompt: str, data: dict, *, in_html: bool = True) -> str:
    """The question text with each ``{#N}`` replaced by its gap in Moodle's syntax (Moodle XML export)."""
    gaps = {gap.get("key"): gap for gap in gaps_of(data)}

    def replace(match):
        gap = gaps.get(match.group(1))
        return gap_syntax(gap, in_html=in_html) if gap else match.group(0)

    return MARKER.sub(replace, prompt or "")


# --- the editor -------------------------------------------------------------------------------------------


EDITOR_HELP = _(
    "Write the text in the question field above and put {#1}, {#2}, … where the gaps go. Below, one line per "
    "gap: {marks:TYPE:answers}. Types: SHORTANSWER (SA), SHORTANSWER_C (letter case counts), MULTICHOICE (MC, a "
    "drop-down), MULTICHOICE_V or MULTICHOICE_H (radio buttons), MULTIRESPONSE or MULTIRESPONSE_H (check boxes), "
    "NUMERICAL (NM, value:tolerance); add S for shuffled options (MCS, MRS). Answers are separated by ~; = marks "
    "a right answer, %50% half the marks; #text after an answer is its feedback. The points of the question are "
    "the sum of the marks."
)


class ClozeForm(EditorForm):
    gaps = forms.CharField(
        label=_("Gaps"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "qe-cloze"}),
        strip=False,
        help_text=_(
            "One gap per line in Moodle's syntax; line N is gap N, which the question text shows where it has "
            "{#N}. Example: {2:SHORTANSWER:=Berlin#Right~%50%Berlin city#Half}, {1:MULTICHOICE:=act~consent}, "
            "{1:NUMERICAL:=18:0.5}."
        ),
    )


class ClozeEditor(KindEditor):
    """The gaps, one per line, in Moodle's syntax; the question text places them with ``{#N}``."""

    kind = "cloze"
    template_name = "assessments/admin/editor/cloze.html"
    help = EDITOR_HELP

    def setup(self):
        self.stored = gaps_of(self.original)
        self.shown = "\n".join(gap_syntax(gap) for gap in self.stored)
        self.form = ClozeForm(data=self.data, prefix=self.name("cloze"), initial={"gaps": self.shown})
        self.gaps = []

    def parts(self):
        return [self.form]

    def _lines(self):
        text = self.form.cleaned_data.get("gaps") or ""
        return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]

    def check(self):
        if self.form.errors:
            return
        lines = self._lines()
        if lines == [line.strip() for line in self.shown.split("\n") if line.strip()] and self.stored:
            self.gaps = self.stored  # unchanged: the stored data exactly (the round trip)
            return
        problems, gaps = [], []
        for number_, line in enumerate(lines, start=1):
            match = GAP_SYNTAX.fullmatch(line)
            if match is None:
                problems.append(msg(GAP_LINE, line=number_))
                continue
            gap, found = parse_gap(match.group(2), match.group(1), match.group(3), number_, in_html=False)
            # not ``msg``: it would shorten the gap's message
            problems += [_format_lazy(GAP_LINE_PROBLEM, {"line": number_, "problem": problem}) for problem in found]
            if gap is not None:
                gaps.append(_keep_option_keys(gap, self.stored[number_ - 1] if number_ <= len(self.stored) else {}))
        if not lines:
            problems.append(ADD_A_GAP)
        if len(lines) > MAX_GAPS:
            problems.append(msg(_("An embedded-answers question has at most %(limit)s gaps."), limit=MAX_GAPS))
        if problems:
            self.form.add_error("gaps", ValidationError(problems))
        self.gaps = gaps

    def build(self):
        return {"gaps": self.gaps}


def _keep_option_keys(gap, stored):
    """A choice edited in place keeps the option keys it had, by position (responses refer to them)."""
    if gap.get("type") == "choice" and stored.get("type") == "choice":
        old = _option_keys(stored)
        keys = [old[index] if index < len(old) and is_key(old[index]) else None for index in range(len(gap["options"]))]
        if len(set(key for key in keys if key)) == len([key for key in keys if key]) and all(keys):
            for option, key in zip(gap["options"], keys, strict=True):
                option["key"] = key
    return gap


# --- Moodle XML ---------------------------------------------------------------------------------------------


def read_moodle(report, questiontext: str) -> tuple[str, dict] | None:
    """(prompt with ``{#N}`` markers, data) of a ``<question type="cloze">``; errors go to ``report``."""
    prompt, gaps, problems = parse_text(questiontext, in_html=True)
    for problem in problems:
        report.error(c.INVALID_DATA, code="cloze_gap", problem=problem)
    if report.failed:
        return None
    if not gaps:
        report.error(CLOZE_NO_GAPS, code="cloze_no_gaps")
        return None
    data = {"gaps": gaps}
    for problem in prompt_problems(prompt, data):  # a literal {#N} already in the text
        report.error(c.INVALID_DATA, code="cloze_marker", problem=problem)
    return None if report.failed else (prompt, data)


def write_moodle(report, index: int, question: dict, node) -> None:
    """The gaps back into the text of ``<question type="cloze">`` (``node`` holds the prompt as written)."""
    data = question["data"]
    text_node = node.find("questiontext/text")
    text_node.text = expand_text(text_node.text or "", data, in_html=True)
    total = total_weight(data)
    points = Decimal(str(question.get("points", total)))
    if points != total:
        report.warn(index, question.get("name", ""), EXPORT_CLOZE_POINTS, code="export_cloze_points", points=c.points_value(points), total=total)


def _percent_text(weight) -> str:
    return f"{c.format_number(float(number(weight) or 0), 2)}%"


# --- the kind ------------------------------------------------------------------------------------------------


class Cloze(Kind):
    name = "cloze"
    label = _("Embedded answers (Cloze)")
    editor = ClozeEditor
    paper = False
    moodle_type = "cloze"

    def check_data(self, data, problems):
        _check_cloze(data, problems)

    def validate_response(self, data, response):
        return _validate_cloze(data, response)

    def score(self, data, response, awards=None):
        return _score_cloze(data, response)

    def prompt_problems(self, prompt, data):
        return prompt_problems(prompt, data)

    def points_problem(self, data, points):
        total = total_weight(data)
        if total and Decimal(str(points)) != total:
            return msg(POINTS_ARE_SUM, total=total)
        return None

    def public(self, data, seed):
        gaps = gaps_of(data)
        shown = []
        for gap in gaps:
            entry = {"key": gap.get("key"), "type": gap.get("type")}
            if gap.get("type") == "choice":
                entry["display"] = gap.get("display", "select")
                entry["multiple"] = bool(gap.get("multiple"))
                options = texts(gap.get("options"), "text")
                entry["options"] = ordered(options, f"{seed}:{gap.get('key')}" if seed and gap.get("shuffle") else "")
            shown.append(entry)
        return {"gaps": shown}

    def key_view(self, data):
        view = {}
        for gap in gaps_of(data):
            if gap.get("type") == "choice":
                right = [option.get("text", "") for option in gap.get("options") or [] if (number(option.get("weight", 0)) or 0) > 0]
            elif gap.get("type") == "numerical":
                right = n.KIND.key_view({"answers": gap.get("answers") or []})["correct"]
            else:
                right = [
                    answer.get("text", "") + ("" if answer.get("weight", 100) == 100 else f" ({c.format_number(answer['weight'], 2)}%)")
                    for answer in gap.get("answers") or []
                    if (number(answer.get("weight", 100)) or 0) > 0
                ]
            view[gap.get("key")] = {"correct": right}
        return {"gaps": view}

    def from_post(self, *, item, post, name):
        response = {}
        for gap in item.public.get("gaps") or []:
            field = f"{name}-{gap['key']}"
            if gap.get("multiple"):
                values = [value for value in post.getlist(field) if value]
                if values:
                    response[gap["key"]] = values
            else:
                value = (post.get(field) or "").strip()
                if value:
                    response[gap["key"]] = value
        return response or None

    def feedback(self, data, response, parts):
        if not isinstance(response, dict):
            return []
        notes = []
        gaps = gaps_of(data)
        for gap in gaps:
            _fraction, answer = gap_result(gap, response.get(gap.get("key")))
            if answer and answer.get("feedback"):
                notes.append(f"{msg(GAP_LABEL, number=gap.get('key'), total=len(gaps))}: {answer['feedback']}")
        return notes

    def key_summary(self, data):
        """Per gap its marks and key, the same in every language when the versions agree: option keys and
        weights, numbers, and for a typed answer only the weights of its answers (their texts are the
        language's own, as the regrade page compares versions by this summary)."""
        summary = []
        for gap in gaps_of(data):
            if gap.get("type") == "choice":
                right = ", ".join(
                    f"{option.get('key')} {_percent_text(option.get('weight', 0))}"
                    for option in gap.get("options") or []
                    if isinstance(option, dict) and number(option.get("weight", 0))
                )
            elif gap.get("type") == "numerical":
                right = " | ".join(self.key_view({"gaps": [gap]})["gaps"][gap.get("key")]["correct"])
            else:
                answers = [answer for answer in gap.get("answers") or [] if isinstance(answer, dict)]
                right = "SHORTANSWER%s %s" % (
                    "_C" if gap.get("case_sensitive") else "",
                    ", ".join(_percent_text(answer.get("weight", 100)) for answer in answers),
                )
            summary.append(f"{gap.get('key')} ×{gap.get('weight', 1)}: {right}")
        return "; ".join(summary)

    def response_example(self, data, *, right, rng):
        response = {}
        for gap in gaps_of(data):
            key = gap.get("key")
            if gap.get("type") == "choice":
                options = sorted(gap.get("options") or [], key=lambda option: -(number(option.get("weight", 0)) or 0))
                if gap.get("multiple"):
                    chosen = [option["key"] for option in options if (number(option.get("weight", 0)) or 0) > 0]
                    response[key] = chosen if right else [options[-1]["key"]]
                else:
                    response[key] = options[0]["key"] if right else options[-1]["key"]
            elif gap.get("type") == "numerical":
                answer = next(answer for answer in gap["answers"] if answer.get("weight", 100) == 100)
                value = Decimal(str(answer["min"] if "min" in answer else answer["value"]))
                response[key] = format(value if right else value + 1000, "f")
            else:
                answer = next(answer for answer in gap["answers"] if answer.get("weight", 100) == 100)
                response[key] = answer["text"] if right else "?"
        return response

    def export_problem(self, data):
        problems: list = []
        _check_cloze(data, problems)
        return "gaps" if problems else None


KIND = Cloze()
