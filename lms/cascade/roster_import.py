"""Import a cascade session's roster from an XLSX or CSV file: all rows or none.

Three steps, so the checks are testable without writing and a bad file writes nothing:

- ``roster_file_read`` reads the upload into a ``RosterTable`` (no database). A file that is not an
  XLSX workbook or a UTF-8 CSV, an empty one, one over ``MAX_BYTES`` or ``MAX_ROWS`` rows, or a header
  without the required columns is refused as a whole (``RosterFileRefused``).
- ``roster_rows_check`` resolves every row to an existing account of the session's agency or to a new
  account, and lists every problem as ``(row, column, message)`` (reads only, a fixed number of queries).
- ``roster_import`` is the one transaction that writes: who may (``services.may_run``), the session's
  state, then the two steps above; with any problem it raises ``RosterRowsRefused`` and nothing is
  written; otherwise it creates the new accounts and profiles and puts everyone on the roster through
  ``services.participant_add`` in the order of the file (enrolled up to the capacity, then the waiting list).

Columns are found by their header, in any order and any of the three languages (``COLUMNS``); other
columns are ignored. A row links an existing account by its username, else by its e-mail (both
case-insensitive); that person must have a profile in the session's agency. Otherwise the row makes a
new account without a usable password (as ``profile_create`` makes them), with the Trainee role and a
profile in the session's agency; without a username in the file one is made from the Latin
transliteration of the name.

New accounts are made here rather than through ``lms.people.services.profile_create``: that one is for
agency managers (``_check_assignment``); a trainer is not one, and may add people only to the roster of
a session they run, inside its agency, which the cascade rules decide.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from content import spreadsheets
from content.spreadsheets import XLSX_CONTENT_TYPE, Sheet, xlsx_bytes
from lms.people.models import Profile, Region
from lms.people.roles import Role

from . import exceptions as errors
from . import services
from .models import CascadeSession, SessionParticipant

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
# rows of a workbook read at most (blank ones included) before the file counts as too long
MAX_SCANNED_ROWS = 20 * MAX_ROWS
READ_LIMITS = spreadsheets.ReadLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_scanned_rows=MAX_SCANNED_ROWS)
VALUE_SHOWN = 60  # characters of a cell quoted back in a message

# field → (header in the template, other accepted headers, normalised as ``_key`` does)
COLUMNS = {
    "username": (_("Username"), ("username", "login", "user", "логин", "пользователь", "ulanyjy", "loginy")),
    "last_name": (_("Last name"), ("lastname", "surname", "familyname", "фамилия", "familiýa", "familiya", "familiyasy")),
    "first_name": (_("First name"), ("firstname", "givenname", "name", "имя", "at", "ady")),
    "email": (_("E-mail"), ("email", "mail", "emailaddress", "почта", "электроннаяпочта", "эпочта", "элпочта",
                            "epoçta", "epocta", "elektronpoçta")),
    "position": (_("Position"), ("position", "post", "jobtitle", "должность", "wezipe", "wezipesi")),
    "gender": (_("Gender"), ("gender", "sex", "пол", "jyns", "jynsy")),
    "unit": (_("Unit"), ("unit", "trainingunit", "подразделение", "учебноеподразделение", "bölüm", "okuwbölümi")),
    "region": (_("Region"), ("region", "velayat", "welaýat", "welayat", "регион", "велаят", "область", "sebit")),
    "language": (_("Language"), ("language", "lang", "язык", "dil")),
}
REQUIRED_COLUMNS = ("last_name", "first_name", "position", "gender")
# needed only for a person who gets a new account
REQUIRED_FOR_NEW = ("position", "gender")

GENDER_WORDS = {
    Profile.Gender.MALE: {"male", "m", "man", "мужской", "муж", "м", "мужчина", "erkek", "er"},
    Profile.Gender.FEMALE: {"female", "f", "woman", "женский", "жен", "ж", "женщина", "aýal", "ayal", "zenan"},
}
LANGUAGE_WORDS = {
    "en": {"en", "eng", "english", "английский", "iňlis", "iňlisçe", "inlis"},
    "ru": {"ru", "rus", "russian", "русский", "rusça", "rusca", "орыс"},
    "tk": {"tk", "tm", "tuk", "turkmen", "туркменский", "türkmen", "türkmençe", "turkmence"},
}

XLSX_MIME = XLSX_CONTENT_TYPE


def _key(text) -> str:
    """A header or word as compared: case-folded, without spaces or punctuation (``E-mail`` = ``email``)."""
    return re.sub(r"[\W_]+", "", str(text).casefold()).replace("ё", "е")


def _word(text) -> str:
    return str(text).strip().casefold().rstrip(".").replace("ё", "е")


def _shown(value: str) -> str:
    return value if len(value) <= VALUE_SHOWN else value[: VALUE_SHOWN - 1] + "…"


def header_names() -> dict[str, str]:
    """Every accepted header (normalised) and the field it names: the template's header in the three
    languages and the other usual names."""
    names = {}
    for name, (label, aliases) in COLUMNS.items():
        for alias in {*aliases, *(_key(text) for text in spreadsheets.in_languages(label))}:
            names[_key(alias)] = name
    return names


# --- reading the file ------------------------------------------------------------------------------------


@dataclass
class RosterTable:
    """The rows of a roster file: ``columns`` maps a field to its header as written in the file; each row
    is ``{"row": line number in the file, field: text}``."""

    columns: dict[str, str]
    rows: list[dict] = field(default_factory=list)


def roster_file_read(upload) -> RosterTable:
    """Read an uploaded ``.xlsx`` or ``.csv`` roster (the first sheet of a workbook; a CSV in UTF-8, with
    or without a byte order mark, separated by commas, semicolons or tabs).

    The first non-empty row is the header; blank rows are skipped, rows keep their line number in the
    file. Raises ``RosterFileRefused`` with the reason.
    """
    try:
        lines = spreadsheets.table_read(upload, limits=READ_LIMITS).rows
    except spreadsheets.SpreadsheetRefused as refused:
        raise errors.RosterFileRefused(refused.message) from None
    names = header_names()
    table = None
    positions: dict[int, str] = {}
    for number, cells in lines:
        values = [spreadsheets.cell_text(value) for value in cells]
        if table is None:
            table = RosterTable(columns={})
            for index, header in enumerate(values):
                name_of = names.get(_key(header)) if header else None
                if name_of is None:
                    continue  # a column the import does not use (a running number, a note…)
                if name_of in table.columns:
                    raise errors.RosterFileRefused(errors.ROSTER_DUPLICATE_COLUMN % {"column": header})
                table.columns[name_of] = header
                positions[index] = name_of
            missing = [name for name in REQUIRED_COLUMNS if name not in table.columns]
            if missing:
                listed = ", ".join(f"“{COLUMNS[name][0]}”" for name in missing)
                raise errors.RosterFileRefused(errors.ROSTER_MISSING_COLUMNS % {"columns": listed})
            continue
        row = {"row": number}
        for index, name_of in positions.items():
            row[name_of] = values[index] if index < len(values) else ""
        if not any(row.get(name) for name in positions.values()):
            continue  # something only in columns the import ignores
        table.rows.append(row)
        if len(table.rows) > MAX_ROWS:
            raise errors.RosterFileRefused(errors.ROSTER_TOO_MANY_ROWS % {"count": MAX_ROWS})
    if table is None:
        raise errors.RosterFileRefused(errors.ROSTER_EMPTY)
    if not table.rows:
        raise errors.RosterFileRefused(errors.ROSTER_NO_PEOPLE)
    return table


# --- checking the rows -----------------------------------------------------------------------------------


@dataclass
class RosterEntry:
    """A good row: the existing account it names, or what the new account gets."""

    row: int
    user: object | None = None
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    position: str = ""
    gender: str = ""
    unit: object | None = None
    region: object | None = None
    language: str = ""


def _by_name(records) -> dict:
    """Each name (normalised by ``_word``) of ``records``, pairs of (record, its names) → the record."""
    found = {}
    for record, names in records:
        for name in names:
            if name:
                found.setdefault(_word(name), record)
    return found


def _accounts(*, usernames: set[str], emails: set[str]) -> tuple[dict, dict]:
    """The existing accounts the file names, by lower-case username and by lower-case e-mail (one query)."""
    by_username, by_email = {}, {}
    if not usernames and not emails:
        return by_username, by_email
    users = (
        get_user_model()
        .objects.annotate(username_lower=Lower("username"), email_lower=Lower("email"))
        .filter(Q(username_lower__in=usernames) | Q(email_lower__in=emails))
        .select_related("profile")
    )
    for user in users:
        if user.username_lower in usernames:
            by_username[user.username_lower] = user
        if user.email_lower in emails:
            by_email.setdefault(user.email_lower, []).append(user)
    return by_username, by_email


@dataclass(frozen=True)
class _Lookups:
    """What a row's words may name: the agency's units, the regions, genders and languages (normalised)."""

    agency: object
    units: dict
    regions: dict
    genders: dict
    languages: dict
    default_language: str


def _lookups(session: CascadeSession) -> _Lookups:
    agency = session.agency
    genders = {_word(word): gender for gender, words in GENDER_WORDS.items() for word in words}
    genders.update({_word(text): gender for gender, label in Profile.Gender.choices for text in spreadsheets.in_languages(label)})
    languages = {_word(word): code for code, words in LANGUAGE_WORDS.items() for word in words}
    languages.update({_word(name): code for code, name in settings.LANGUAGES})
    return _Lookups(
        agency=agency,
        units=_by_name(
            (unit, (unit.code, unit.name_en, unit.name_ru, unit.name_tk))
            for unit in agency.units.select_related("region")
        ),
        regions=_by_name(
            (region, (region.code, region.name_en, region.name_ru, region.name_tk)) for region in Region.objects.all()
        ),
        genders=genders,
        languages=languages,
        default_language=session.language,
    )


_USERNAME_VALID = UnicodeUsernameValidator()


def _fields_check(row: dict, lookups: _Lookups, bad) -> RosterEntry:
    """The row's own values, checked one by one (``bad(column, message)`` for each problem)."""
    entry = RosterEntry(row=row["row"], username=row.get("username", ""), email=row.get("email", ""))
    for name in ("last_name", "first_name"):
        value = row.get(name, "")
        if not value:
            bad(name, errors.ROSTER_REQUIRED)
        setattr(entry, name, value[:150])
    if entry.username:
        try:
            _USERNAME_VALID(entry.username)
            if len(entry.username) > 150:
                raise ValidationError("too long")
        except ValidationError:
            bad("username", errors.ROSTER_BAD_USERNAME % {"value": _shown(entry.username)})
    if entry.email:
        try:
            validate_email(entry.email)
        except ValidationError:
            bad("email", errors.ROSTER_BAD_EMAIL % {"value": _shown(entry.email)})
    entry.position = row.get("position", "")[:200]
    if row.get("gender"):
        entry.gender = lookups.genders.get(_word(row["gender"]), "")
        if not entry.gender:
            bad("gender", errors.ROSTER_BAD_GENDER % {"value": _shown(row["gender"])})
    if row.get("unit"):
        entry.unit = lookups.units.get(_word(row["unit"]))
        if entry.unit is None:
            bad("unit", errors.ROSTER_UNKNOWN_UNIT % {"value": _shown(row["unit"]), "agency": lookups.agency.name})
    if row.get("region"):
        entry.region = lookups.regions.get(_word(row["region"]))
        if entry.region is None:
            bad("region", errors.ROSTER_UNKNOWN_REGION % {"value": _shown(row["region"])})
    elif entry.unit is not None:
        entry.region = entry.unit.region
    entry.language = lookups.default_language
    if row.get("language"):
        entry.language = lookups.languages.get(_word(row["language"]), "")
        if not entry.language:
            bad("language", errors.ROSTER_BAD_LANGUAGE % {"value": _shown(row["language"])})
    return entry


def roster_rows_check(*, session: CascadeSession, table: RosterTable) -> tuple[list[RosterEntry], list[tuple]]:
    """Resolve each row of ``table`` for ``session``: return the good rows and every problem as ``(row,
    column header, message)``, in the user's language. Nothing is written; a fixed number of queries.
    """
    lookups = _lookups(session)
    agency = lookups.agency
    columns = table.columns
    trainers = {session.lead_trainer_id, *session.co_trainers.values_list("pk", flat=True)}
    by_username, by_email = _accounts(
        usernames={row["username"].lower() for row in table.rows if row.get("username")},
        emails={row["email"].lower() for row in table.rows if row.get("email")},
    )

    entries, problems = [], []
    seen: dict[tuple, int] = {}  # a person's identity in the file → the first row naming it
    for row in table.rows:
        number = row["row"]
        found = []

        def bad(name, message, *, _number=number, _found=found):
            _found.append((_number, columns.get(name, str(COLUMNS[name][0])), str(message)))

        entry = _fields_check(row, lookups, bad)
        username, email = entry.username, entry.email

        # who the row names: an account by username, else by e-mail, else a new one
        user, named_by, named = None, "", ""
        if username and username.lower() in by_username:
            user, named_by, named = by_username[username.lower()], "username", username
        elif email and email.lower() in by_email:
            matches = by_email[email.lower()]
            if len(matches) > 1:
                bad("email", errors.ROSTER_EMAIL_SHARED % {"value": _shown(email)})
                problems.extend(found)
                continue
            user, named_by, named = matches[0], "email", email
        if user is not None:
            profile = getattr(user, "profile", None)  # None when the account has no profile
            if user.pk in trainers:
                bad(named_by, errors.ROSTER_TRAINER % {"value": _shown(named)})
            elif not user.is_active:
                bad(named_by, errors.ROSTER_INACTIVE % {"value": _shown(named)})
            elif profile is None or profile.agency_id is None:
                bad(named_by, errors.ROSTER_NO_AGENCY % {"value": _shown(named), "agency": agency.name})
            elif profile.agency_id != agency.pk:
                bad(named_by, errors.ROSTER_OTHER_AGENCY % {"value": _shown(named), "agency": agency.name})
            entry.user = user
            identities = [("user", user.pk)]
        else:
            for name in REQUIRED_FOR_NEW:
                if not row.get(name):
                    bad(name, errors.ROSTER_REQUIRED_NEW)
            identities = [("username", username.lower())] if username else []
            identities += [("email", email.lower())] if email else []
        for kind, identity in identities:
            if (kind, identity) in seen:
                bad(named_by or kind, errors.ROSTER_SAME_PERSON % {"row": seen[kind, identity]})
                break
        for identity in identities:
            seen.setdefault(identity, number)
        if found:
            problems.extend(found)
        else:
            entries.append(entry)
    return entries, problems


# --- usernames of new accounts ---------------------------------------------------------------------------

_TRANSLIT = {
    # Russian
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Turkmen Cyrillic and Latin letters
    "ә": "a", "җ": "j", "ң": "n", "ө": "o", "ү": "u",
    "ä": "a", "ç": "ch", "ň": "n", "ö": "o", "ş": "sh", "ü": "u", "ý": "y", "ž": "zh",
}
USERNAME_BASE_LENGTH = 30


def username_base(*, first_name: str, last_name: str) -> str:
    """``first.last`` in lower-case Latin letters (Cyrillic and Turkmen letters transliterated)."""
    text = f"{first_name}.{last_name}".casefold()
    latin = "".join(_TRANSLIT.get(char, char) for char in text)
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    latin = re.sub(r"[^a-z0-9.]+", "", latin.replace(" ", "."))
    latin = re.sub(r"\.{2,}", ".", latin).strip(".")[:USERNAME_BASE_LENGTH].strip(".")
    return latin or "participant"


def _free_username(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


# --- the import ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterImported:
    """What an import did."""

    enrolled: int
    waitlisted: int
    created: int
    already: int  # people of the file who were on the roster before


def _accounts_create(*, session: CascadeSession, entries: list[RosterEntry]) -> int:
    """Create the new accounts (no usable password, the Trainee role) and their profiles in the session's
    agency; fill ``entry.user``. A handful of queries whatever the number."""
    new = [entry for entry in entries if entry.user is None]
    if not new:
        return 0
    User = get_user_model()
    bases = {username_base(first_name=e.first_name, last_name=e.last_name) for e in new if not e.username}
    taken = set()
    for base in bases:
        taken |= set(User.objects.filter(username__istartswith=base).annotate(lower=Lower("username"))
                     .values_list("lower", flat=True))
    taken |= {entry.username.lower() for entry in new if entry.username}
    users = []
    for entry in new:
        if not entry.username:
            entry.username = _free_username(username_base(first_name=entry.first_name, last_name=entry.last_name), taken)
            taken.add(entry.username)
        user = User(username=entry.username, first_name=entry.first_name, last_name=entry.last_name, email=entry.email)
        user.set_unusable_password()
        users.append(user)
    try:
        with transaction.atomic():
            users = User.objects.bulk_create(users)
    except IntegrityError:
        # a username of the file was taken between the check and now
        raise errors.SessionRefused(errors.ROSTER_TAKEN_MEANWHILE) from None
    for entry, user in zip(new, users, strict=True):
        entry.user = user
    trainee = Group.objects.filter(name=Role.TRAINEE).first()
    if trainee is not None:
        User.groups.through.objects.bulk_create([User.groups.through(user_id=user.pk, group_id=trainee.pk) for user in users])
    Profile.objects.bulk_create([
        Profile(user=entry.user, agency=session.agency, unit=entry.unit, region=entry.region,
                position=entry.position, gender=entry.gender, language=entry.language)
        for entry in new
    ])
    return len(new)


@transaction.atomic
def roster_import(*, actor, session: CascadeSession, upload) -> RosterImported:
    """Import the roster file ``upload`` into ``session``: every row, or nothing.

    Refused with ``NotPermitted`` for anyone who does not run the session, ``SessionRefused`` for a
    cancelled or reported one, ``RosterFileRefused`` for a file that cannot be read, and
    ``RosterRowsRefused`` (with every problem) when any row is bad.
    """
    if not services.may_run(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    if session.state in {CascadeSession.State.CANCELLED, CascadeSession.State.REPORTED}:
        raise errors.SessionRefused(errors.ROSTER_CLOSED)
    table = roster_file_read(upload)
    entries, problems = roster_rows_check(session=session, table=table)
    if problems:
        raise errors.RosterRowsRefused(problems)
    before = set(session.participants.values_list("user_id", flat=True))
    created = _accounts_create(session=session, entries=entries)
    enrolled = waitlisted = already = 0
    for entry in entries:
        if entry.user.pk in before:
            already += 1
            continue
        place = services.participant_add(actor=actor, session=session, user=entry.user)
        before.add(entry.user.pk)
        if place.status == SessionParticipant.Status.ENROLLED:
            enrolled += 1
        else:
            waitlisted += 1
    return RosterImported(enrolled=enrolled, waitlisted=waitlisted, created=created, already=already)


# --- the template ----------------------------------------------------------------------------------------


def roster_template(*, session: CascadeSession, language: str) -> bytes:
    """An XLSX template: the header row in ``language`` on the first sheet, and on a second one the values
    the columns take (the agency's units, the regions, genders and languages)."""
    with translation.override(language):
        roster = Sheet(
            title=str(_("Roster")),
            header=[str(label) for label, _aliases in COLUMNS.values()],
            widths=[20] * 9,
        )
        required = ", ".join(str(COLUMNS[name][0]) for name in REQUIRED_COLUMNS)
        notes = [
            [str(_("Required columns")), required],
            [str(_("Required for a new account.")), ", ".join(str(COLUMNS[n][0]) for n in REQUIRED_FOR_NEW)],
            [str(COLUMNS["gender"][0]), ", ".join(str(label) for _value, label in Profile.Gender.choices)],
            [str(COLUMNS["language"][0]), ", ".join(code for code, _name in settings.LANGUAGES)],
            [],
            [str(COLUMNS["unit"][0])],
            *([unit.name, unit.code] for unit in session.agency.units.all()),
            [],
            [str(COLUMNS["region"][0])],
            *([region.name, region.code] for region in Region.objects.all()),
        ]
        values = Sheet(title=str(_("Values")), header=None, rows=notes, widths=(45, 45))
        return xlsx_bytes([roster, values], write_only=False)  # small, with blank lines
