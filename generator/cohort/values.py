"""Normalisers: a raw cell value (as calamine, openpyxl or a CSV gives it) → a typed value.

Each returns None for an empty cell and raises ValueError for a value that is not of its type;
the reader turns that into a CELL-… finding. They accept what French users type (cohort.md).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from stdnum.fr import siret as stdnum_siret

from generator.clean import EDGES

EMPTY_MARKS = {"", "-", "–", "—"}
_SPACES = "\u00a0\u202f\u2007\u200b\ufeff"
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´ʼ′"})


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: the form in which choices and headers match."""
    # typographic apostrophes first: NFKD would turn « ´ » into a space and a combining accent
    if not text.isascii():  # most headers and choices are plain ASCII: skip the slow part
        text = text.translate(_APOSTROPHES)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def text(raw: object) -> str | None:
    """Text trimmed of every kind of whitespace, invisible space and control at its edges
    (`generator.clean.EDGES`: « ROUX⟨VT⟩ » is « ROUX »); numbers typed in a text column come
    back as Excel shows them. Characters inside are kept for the messages to show; writers
    clean them (`generator.clean`)."""
    value = raw if isinstance(raw, str) else _as_text(raw)  # str first: the common case
    if value is None:
        return None
    if "\r" in value or "_x" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return value.strip(EDGES) or None


def _as_text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "oui" if raw else "non"
    if isinstance(raw, float):
        if raw != raw:  # NaN: an empty cell, as some readers give it
            return None
        raw = excel_float(raw)
        raw = int(raw) if raw.is_integer() else repr(raw).replace(".", ",")
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        raw = raw.date()
    if isinstance(raw, dt.date):
        return f"{raw.day:02d}/{raw.month:02d}/{raw.year:04d}"
    if isinstance(raw, dt.timedelta):  # a duration cell ([h]:mm), as Excel shows it: 35:00
        minutes = round(raw.total_seconds() / 60)
        sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
        return f"{sign}{minutes // 60}:{minutes % 60:02d}"
    if isinstance(raw, dt.time):
        return f"{raw.hour:02d}:{raw.minute:02d}"
    return str(raw)


def excel_float(value: float) -> float:
    """A stored number as Excel shows and computes it: 15 significant digits, so that a SUM
    stored as 559.9999999999999 is 560 and 639.4499999999999 is 639.45 (IEEE 754 doubles
    hold about 17 digits; Excel keeps 15)."""
    if value != value or value in (_INFINITY, -_INFINITY):
        return value
    return float(f"{value:.15g}")


def hours(raw: object) -> float | None:
    """A number of hours (`number`), to the minute: 17.3333 is 17 h 20."""
    result = number(raw)
    return None if result is None else round(result * 60) / 60


def euros(raw: object) -> float | None:
    """An amount in euros (`number`), to the cent."""
    result = number(raw)
    return None if result is None else round(result, 2)


def header(raw: object) -> str:
    """A header as it is matched: folded, no line breaks, no trailing '*' or ':'."""
    value = text(raw) or ""
    value = fold(value).rstrip("*: ").strip()
    return _NUMBER_PREFIX.sub("n° ", value)


# « N° », « No. », « Num. », « Numéro », « Nº » (folded to "no") and « N° d' » all spell the
# number sign; a word boundary keeps « Nom » and « Notes » intact.
_NUMBER_PREFIX = re.compile(r"^(?:n\s*°|numero|num|no|n)(?:\s*[.°]\s*|\s+|(?<=°))(?:d'\s*|de\s+)?")


FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12,
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel's dates: a text date outside them (« 01/09/0226 », a typo) stays text in Excel too
_FIRST_DATE, _LAST_DATE = dt.date(1900, 1, 1), dt.date(9999, 12, 31)
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a midnight time Excel may append
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})" + _TIME + "$")
_ISO_DATE = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME + "$")
_WORDS_DATE = re.compile(r"^(?:[a-z]+\.? )?(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})$")


def date(raw: object) -> dt.date | None:
    """A real Excel date, a serial number, dd/mm/yyyy, dd/mm/yy, yyyy-mm-dd, or French words
    (« 14 septembre 2026 », « 1er mars 2027 », « lundi 9 octobre 2026 »), within Excel's
    range (years 1900 to 9999)."""
    result = _date(raw)
    if result is not None and not _FIRST_DATE <= result <= _LAST_DATE:
        raise ValueError(raw)
    return result


def _date(raw: object) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw != raw:
            return None
        if 1 <= raw < 2958466:  # Excel's range: 1900-01-01 … 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise ValueError(raw)
    value = text(raw)
    if value is None:
        return None
    folded = fold(value)
    if match := _NUMERIC_DATE.match(folded):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if year < 70 else 1900
        return dt.date(year, month, day)
    if match := _ISO_DATE.match(folded):
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    if match := _WORDS_DATE.match(folded):
        day_text, month_name, year_text = match.groups()
        if month_name in FRENCH_MONTHS:
            return dt.date(int(year_text), FRENCH_MONTHS[month_name], int(day_text))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", folded):
        return _date(float(folded.replace(",", ".")))
    raise ValueError(value)


_TRUE = {"oui", "o", "x", "vrai", "yes", "y", "1", "true", "ok", "✓", "✔", "recu", "recue", "fait",
         "fourni", "fournie"}
_FALSE = {"non", "n", "faux", "no", "0", "false"}


def boolean(raw: object) -> bool | None:
    """oui/non and their usual spellings; a lone 'x' is yes, an empty cell is unknown."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    value = text(raw)
    if value is None or value in EMPTY_MARKS:
        return None
    folded = fold(value).rstrip(".")
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(value)


_CIVILITES = {
    "m": "M.", "mr": "M.", "monsieur": "M.", "m.": "M.", "mr.": "M.",
    "mme": "Mme", "madame": "Mme", "mme.": "Mme", "mlle": "Mme", "mlle.": "Mme", "melle": "Mme",
    "mademoiselle": "Mme",
}


def civilite(raw: object) -> str | None:
    value = text(raw)
    if value is None:
        return None
    try:
        return _CIVILITES[fold(value)]
    except KeyError:
        raise ValueError(value) from None


MODALITES = ("cours du soir", "cours du jour")


def modalite(raw: object) -> str | None:
    value = text(raw)
    if value is None:
        return None
    folded = fold(value).replace("-", " ")
    for choice in MODALITES:
        if folded in (choice, choice.removeprefix("cours du ")):
            return choice
    raise ValueError(value)


def number(raw: object) -> float | None:
    """A number ≥ 0; a French comma, spaces as thousands separator and a trailing unit
    (« h », « € ») are accepted."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    raw = _as_number(raw)
    if isinstance(raw, (int, float)):
        if raw != raw:
            return None
        result = excel_float(float(raw))
    else:
        value = text(raw)
        if value is None:
            return None
        cleaned = re.sub(r"[\s" + _SPACES + r"]", "", value).lower()
        if hours_minutes := _HOURS_MINUTES.fullmatch(cleaned):  # 17h30, 35:00, 35:00:00
            return int(hours_minutes[1]) + int(hours_minutes[2]) / 60
        if duration := _ISO_DURATION.fullmatch(value):  # an .ods duration cell: PT35H00M00S
            return int(duration[1]) + int(duration[2]) / 60 + float(duration[3]) / 3600
        if cleaned.endswith("%") and len(cleaned) > 1:  # a percent format: 300 % is 3
            percent = number(cleaned[:-1])
            if percent is None:
                raise ValueError(value)
            return percent / 100
        cleaned = re.sub(r"(€|eur|euros?|h|heures?)$", "", cleaned).replace(",", ".")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?|[-+]?\.\d+", cleaned):
            raise ValueError(value)
        result = float(cleaned)
    if result < 0 or result in (_INFINITY, -_INFINITY):  # 1e309 is no count of hours
        raise ValueError(raw)
    return result


# A number typed in a cell formatted as a date shows as a date of the first years (35 →
# 04/02/1900); no hours, months or copies are meant as a real date of that time.
_SERIAL_DATES_END = dt.datetime(1910, 1, 1)
_INFINITY = float("inf")
_LEAP_BUG_END = dt.datetime(1900, 3, 1)  # Excel counts a 29/02/1900: serials before it shift


def _as_number(raw: object) -> object:
    """A duration (35:00 in a [h]:mm cell) in hours, a time of day (17:30) in hours, and a
    number shown as a date by its cell's format (04/02/1900) as that number; else `raw`."""
    if isinstance(raw, dt.timedelta):
        return raw.total_seconds() / 3600
    if isinstance(raw, dt.time):
        return raw.hour + raw.minute / 60 + raw.second / 3600
    if isinstance(raw, dt.date):
        moment = raw if isinstance(raw, dt.datetime) else dt.datetime.combine(raw, dt.time())
        if moment < _SERIAL_DATES_END:
            epoch = dt.datetime(1899, 12, 30 if moment >= _LEAP_BUG_END else 31)
            serial = (moment - epoch).total_seconds() / 86400
            return int(serial) if serial.is_integer() else serial
    return raw


# The 1904 date system (Excel for Mac saves `<workbookPr date1904="1"/>`; an .ods may say
# `<table:null-date table:date-value="1904-01-01"/>`): serial 0 is 1 January 1904, four years
# and a day (1462 days) after the 1900 system's. Calamine reads date, time and duration cells
# in the file's own system; only a number's meaning as a date depends on the system, so a
# column of dates or of numbers is read through one of these two.
# Days from serial 0 within which a date in a number column is a number: `_as_number`'s limit.
_SERIAL_YEARS = (_SERIAL_DATES_END.date() - _EXCEL_EPOCH).days


def date_of_serial(cell: object, epoch: dt.datetime) -> object:
    """A number in a date column of a workbook whose serial 0 is `epoch` as the date the
    workbook shows for it once formatted as a date (days from `epoch`, the fraction a time of
    day); any other cell unchanged (a number out of range then fails as `date` says)."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and cell >= 0:
        try:
            return epoch + dt.timedelta(days=cell)
        except OverflowError:
            return cell
    return cell


def serial_of_date(cell: object, epoch: dt.datetime) -> object:
    """A date in a number column of a workbook whose serial 0 is `epoch`, within its first ten
    years, as the number its cell holds: 35 formatted as a date shows 05/02/1904 in the 1904
    system and is 35 (`_as_number` does the same in the 1900 system). A time of day, a
    duration or any other cell is unchanged."""
    if isinstance(cell, dt.date):
        moment = cell if isinstance(cell, dt.datetime) else dt.datetime.combine(cell, dt.time())
        serial = (moment - epoch).total_seconds() / 86400
        if 0 <= serial < _SERIAL_YEARS:
            return int(serial) if serial.is_integer() else serial
    return cell


_HOURS_MINUTES = re.compile(r"(\d+)(?:h|:)([0-5]\d)(?:min|:00)?")
_ISO_DURATION = re.compile(r"PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S")


def integer(raw: object) -> int | None:
    result = number(raw)
    if result is None:
        return None
    if not result.is_integer():
        raise ValueError(raw)
    return int(result)


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def email(raw: object) -> str | None:
    value = text(raw)
    if value is None:
        return None
    if named := re.fullmatch(r"[^<>]*<([^<>]+)>", value):  # « Claire Dupont <c@exemple.fr> »
        value = named[1]
    value = value.removeprefix("mailto:").strip("<> ")
    if not _EMAIL.match(value) or ".." in value:
        raise ValueError(value)
    return value


def phone(raw: object) -> str | None:
    """A French number (10 digits from 0, or +33 / 0033), written « 01 23 45 67 89 »."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # Excel drops the leading 0 of a number typed without quotes
        raw = f"0{int(raw)}" if raw == raw and len(str(int(raw))) == 9 else raw
    value = text(raw)
    if value is None:
        return None
    digits = re.sub(r"[\s.\-/()" + _SPACES + r"]", "", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:].removeprefix("(0)").removeprefix("0")
    elif digits.startswith("0033"):
        digits = "0" + digits[4:].removeprefix("0")
    elif re.fullmatch(r"[1-9]\d{8}", digits):  # a number Excel stored, exported to CSV
        digits = "0" + digits
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValueError(value)
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def postcode(raw: object) -> str | None:
    """Five digits; a number that Excel stored without its leading zero (1000) is 01000."""
    if isinstance(raw, float) and raw == raw and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # four digits get their zero back below; 123 stays invalid
    value = text(raw)
    if value is None:
        return None
    compact = re.sub(r"\s", "", value)
    if re.fullmatch(r"\d{4}", compact):
        compact = "0" + compact
    if not re.fullmatch(r"\d{5}", compact):
        raise ValueError(value)
    return compact


def siret(raw: object) -> str | None:
    """14 digits forming a valid SIRET: the SIREN's and the SIRET's Luhn keys, or for La
    Poste's establishments (SIREN 356000000) a digit sum divisible by 5 (python-stdnum's
    `stdnum.fr.siret`). ValueError otherwise; None for an empty cell."""
    if isinstance(raw, float) and raw == raw and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = f"{raw:014d}"
    value = text(raw)
    if value is None:
        return None
    digits = re.sub(r"[\s.\-" + _SPACES + r"]", "", value)
    if not re.fullmatch(r"\d{14}", digits):
        raise ValueError(value)
    if not stdnum_siret.is_valid(digits):
        raise ValueError(value)
    return digits


NORMALISERS = {
    "text": text, "date": date, "bool": boolean, "civilite": civilite, "modalite": modalite,
    "number": number, "hours": hours, "euros": euros, "int": integer, "email": email,
    "phone": phone, "postcode": postcode,
    "siret": siret,
}
