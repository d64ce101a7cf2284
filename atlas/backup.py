"""A portable, versioned export of the Atlas records, its import, and a checksum of every record.

What is in: the Atlas records (atlas/models/records.py: countries, themes, networks, French authorities with
their networks, partner authorities, cooperations and external actions, project sheets with their themes,
contacts, part confirmations) and the records the products declare as Atlas records through the seed's
"atlas_seed_models" hook (today the e-APD: declarations, their lines and history), so the Atlas imports no
product. What is not: the Bourse-projets (a product of its own, with Wagtail moderation states and
revisions, embassies' organisations and members' interests and alerts), the e-APD windows, the Wagtail pages,
revisions and editing locks of the records, accounts, and every file (logos, supporting documents): those
are in the database dump (pg_dump) and the media and private directories, which are backed up as they are.

The file is gzip-compressed JSON Lines: a header (format, version), one line per record in dependency order,
then a footer with the count and checksum of each model, so a truncated or altered file is refused before
anything is written. Each record line is the record's canonical serialisation, the same one `checksums()`
hashes: sorted keys, its id, its natural key, and its foreign keys written as the natural key of the record
they point to (a country by its ISO code, an authority by its slug, an account by its username) or, for
records that have none, as their id, which the import keeps.

The import replaces the Atlas of the database in one transaction: it deletes the rows and inserts the file's
rows again with the same ids, or, for records found by natural key (countries, themes, networks,
authorities), with the id they already have here. Foreign keys are checked when the transaction ends (Django
creates them deferrable), so what the rest of the portal points to (Bourse projects, dossiers,
organisations, pages) still finds its record, and a file that lacks a record something points to is refused
as a whole, leaving the database as it was.
"""

import gzip
import hashlib
import json
import zlib
from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from .models import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartConfirmation,
    PartnerAuthority,
    Project,
    Theme,
)
from .queries import bulk_change
from .seeding import SEED_MODELS_HOOK

FORMAT = "portail-atlas"
VERSION = 1
BATCH = 2000

# The Atlas' own records, in dependency order (a record comes after those it points to).
ATLAS_MODELS = [
    Country,
    Theme,
    Network,
    Authority,
    PartnerAuthority,
    Cooperation,
    Project,
    Contact,
    PartConfirmation,
]
# Records found by a natural key rather than by id: a row already here with the same key keeps its id, so
# whatever points to it stays right. The others keep the id they had when dumped.
NATURAL_KEYS = {Country: "code", Theme: "slug", Network: "name", Authority: "slug"}
# Loaded by migrations (0003_countries_and_themes): an Atlas that has only these is empty.
REFERENCE_DATA = (Country, Theme)
# Wagtail's editing state of a record (its latest revision, its lock), not Atlas data: not exported; a row
# that already exists here keeps its own.
EDITING_STATE = ("latest_revision", "locked", "locked_at", "locked_by")


class BackupError(Exception):
    """A file that cannot be loaded, or a load that would lose or break something; nothing was changed."""


def product_models():
    """The products' Atlas records (seed hook): their records, then the rows those own."""
    records, owned = [], []
    for fn in hooks.get_hooks(SEED_MODELS_HOOK):
        product_records, product_owned = fn()
        records.extend(product_records)
        owned.extend(product_owned)
    return records + owned


def backup_models():
    """Every model the export holds, ordered so that a record's in-file targets come before it."""
    ordered = []
    pending = list(ATLAS_MODELS) + [model for model in product_models() if model not in ATLAS_MODELS]
    members = set(pending)
    while pending:
        for model in pending:
            targets = {field.related_model for field in concrete_relations(model)} & members
            if targets - {model} <= set(ordered):
                ordered.append(model)
                pending.remove(model)
                break
        else:
            raise BackupError("cycle between " + ", ".join(m._meta.label for m in pending))
    return ordered


def concrete_relations(model):
    return [field for field in model._meta.concrete_fields if field.is_relation]


def data_fields(model):
    """The concrete fields exported, the primary key excepted."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in EDITING_STATE
    ]


def m2m_fields(model):
    return [
        field for field in model._meta.local_many_to_many if field.remote_field.through._meta.auto_created
    ]


# Values ---------------------------------------------------------------------------------------------------


def plain(field, value):
    """A column's value as a JSON value that reads the same from SQLite and PostgreSQL."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(field, models.FileField):
        return str(value)
    if isinstance(field, models.UUIDField):
        return str(value)
    return value


def python_value(field, value):
    """The inverse of `plain`: a JSON value back to what the field stores."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DecimalField):
        return Decimal(value)
    if isinstance(field, models.DateTimeField):
        return datetime.fromisoformat(value)
    if isinstance(field, models.DateField):
        return date.fromisoformat(value)
    if isinstance(field, models.TimeField):
        return time.fromisoformat(value)
    if isinstance(field, models.BinaryField):
        return bytes.fromhex(value)
    return field.to_python(value)


def canonical(record):
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class References:
    """How a foreign key is written: the natural key of the record it points to, an account's username, or
    else the id. Keys are read once per target model (one query each)."""

    def __init__(self):
        self.keys = {}

    def key_field(self, model):
        if model in NATURAL_KEYS:
            return NATURAL_KEYS[model]
        if model is get_user_model():
            return model.USERNAME_FIELD
        return None

    def writer(self, model):
        field = self.key_field(model)
        if field is None:
            return lambda pk: pk
        if model not in self.keys:
            self.keys[model] = dict(model._base_manager.values_list("pk", field))
        keys = self.keys[model]
        return lambda pk: None if pk is None else keys[pk]


# Serialisation: the dump and the checksum read the same lines -------------------------------------------


def records(model, refs):
    """Each row of `model` as its canonical record (a dict), in id order."""
    fields = data_fields(model)
    writers = {field.attname: refs.writer(field.related_model) for field in fields if field.is_relation}
    many = {}
    for field in m2m_fields(model):
        through = field.remote_field.through
        write = refs.writer(field.related_model)
        links = defaultdict(list)
        rows = through._base_manager.values_list(field.m2m_column_name(), field.m2m_reverse_name())
        for source, target in rows.iterator(chunk_size=BATCH):
            links[source].append(write(target))
        many[field.name] = links
    key_field = NATURAL_KEYS.get(model)
    attnames = [field.attname for field in fields]
    rows = model._base_manager.order_by("pk").values_list("pk", *attnames)
    for pk, *values in rows.iterator(chunk_size=BATCH):
        data = {}
        for field, value in zip(fields, values, strict=True):
            if field.is_relation:
                data[field.name] = writers[field.attname](value)
            else:
                data[field.name] = plain(field, value)
        for name, links in many.items():
            data[name] = sorted(links.get(pk, []))
        yield {
            "model": model._meta.label,
            "id": pk,
            "key": data[key_field] if key_field else pk,
            "fields": data,
        }


def checksums():
    """{model label: (count, sha256 of the canonical lines)} for every exported model."""
    refs = References()
    result = {}
    for model in backup_models():
        digest, count = hashlib.sha256(), 0
        for record in records(model, refs):
            digest.update(canonical(record).encode() + b"\n")
            count += 1
        result[model._meta.label] = (count, digest.hexdigest())
    return result


def total_checksum(sums):
    """One checksum for the whole Atlas, over the per-model ones."""
    digest = hashlib.sha256()
    for label, (count, checksum) in sums.items():
        digest.update(f"{label} {count} {checksum}\n".encode())
    return digest.hexdigest()


def dump(path):
    """Write the Atlas to `path` (gzip JSON Lines); returns {label: (count, checksum)}."""
    refs = References()
    sums = {}
    # One snapshot for the whole file: a record added while the dump runs is either in it with all it
    # points to, or not at all (REPEATABLE READ on PostgreSQL; SQLite's read transaction is a snapshot).
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Inside a caller's transaction (a test), that transaction's view is the snapshot.
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # mtime=0: the same Atlas gives the same bytes.
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            labels = [model._meta.label for model in backup_models()]
            header = {"format": FORMAT, "version": VERSION, "models": labels}
            raw.write(canonical(header).encode() + b"\n")
            for model in backup_models():
                digest, count = hashlib.sha256(), 0
                for record in records(model, refs):
                    line = canonical(record).encode() + b"\n"
                    digest.update(line)
                    raw.write(line)
                    count += 1
                sums[model._meta.label] = (count, digest.hexdigest())
            footer = {"end": True, "counts": {k: v[0] for k, v in sums.items()}}
            footer["checksums"] = {k: v[1] for k, v in sums.items()}
            raw.write(canonical(footer).encode() + b"\n")
    return sums


# Reading a file ---------------------------------------------------------------------------------------------


def _lines(path):
    """The file's lines as dicts, with clear errors for what is not an Atlas export."""
    try:
        with gzip.open(path, "rb") as raw:
            for number, line in enumerate(raw, start=1):
                try:
                    yield json.loads(line), line
                except (ValueError, UnicodeDecodeError) as error:
                    raise BackupError(
                        _("Line %(line)d of the file is not valid JSON: the file is damaged.")
                        % {"line": number}
                    ) from error
    except FileNotFoundError as error:
        raise BackupError(_("The file %(path)s does not exist.") % {"path": path}) from error
    except (OSError, EOFError, zlib.error) as error:
        raise BackupError(
            _(
                "The file is not a complete gzip file (%(error)s): it is damaged or was not written by "
                "atlas_dump."
            )
            % {"error": error}
        ) from error


def _header(value):
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise BackupError(_("This file is not an Atlas export written by atlas_dump."))
    if value.get("version") != VERSION:
        raise BackupError(
            _(
                "This Atlas export is in version %(version)s of the format; this portal reads version "
                "%(expected)s only."
            )
            % {"version": value.get("version"), "expected": VERSION}
        )
    expected = [model._meta.label for model in backup_models()]
    if value.get("models") != expected:
        raise BackupError(
            _("This export holds other records (%(models)s) than this portal's Atlas (%(expected)s).")
            % {"models": ", ".join(map(str, value.get("models") or [])), "expected": ", ".join(expected)}
        )


def verify(path):
    """Read the whole file once, writing nothing: the header, each line's model and shape, and the counts
    and checksums of the footer. Returns ({label: (count, checksum)}, {label: the largest id})."""
    by_label = {model._meta.label: model for model in backup_models()}
    shapes = {
        label: {field.name for field in data_fields(model)} | {field.name for field in m2m_fields(model)}
        for label, model in by_label.items()
    }
    digests = {label: hashlib.sha256() for label in by_label}
    counts = dict.fromkeys(by_label, 0)
    max_ids = dict.fromkeys(by_label, 0)
    order = list(by_label)
    position = 0
    header = footer = None
    for value, line in _lines(path):
        if header is None:
            _header(value)
            header = value
            continue
        if footer is not None:
            raise BackupError(_("The file goes on after its end: it is damaged."))
        if isinstance(value, dict) and value.get("end") is True:
            footer = value
            continue
        label = value.get("model") if isinstance(value, dict) else None
        if label not in by_label or not isinstance(value.get("fields"), dict) or "id" not in value:
            raise BackupError(_("The file holds a record this portal does not know: it is damaged."))
        if not isinstance(value["id"], int) or "key" not in value:
            raise BackupError(_("The file holds a record this portal does not know: it is damaged."))
        if set(value["fields"]) != shapes[label]:
            raise BackupError(
                _("The %(model)s records of the file do not have this portal's fields (%(fields)s).")
                % {"model": label, "fields": ", ".join(sorted(set(value["fields"]) ^ shapes[label]))}
            )
        while order[position] != label:
            position += 1
            if position == len(order):
                raise BackupError(_("The records of the file are out of order: it is damaged."))
        digests[label].update(line if line.endswith(b"\n") else line + b"\n")
        counts[label] += 1
        max_ids[label] = max(max_ids[label], value["id"])
    if header is None:
        raise BackupError(_("The file is empty."))
    if footer is None:
        raise BackupError(_("The file stops before its end: it is incomplete (was the export interrupted?)."))
    sums = {label: (counts[label], digests[label].hexdigest()) for label in by_label}
    for label, (count, checksum) in sums.items():
        if footer.get("counts", {}).get(label) != count or footer.get("checksums", {}).get(label) != checksum:
            raise BackupError(
                _("The %(model)s records of the file do not match its checksum: the file is damaged.")
                % {"model": label}
            )
    return sums, max_ids


def records_in(path):
    """The record lines of a verified file, as dicts."""
    for value, _line in _lines(path):
        if "model" in value:
            yield value


# Loading ---------------------------------------------------------------------------------------------------


def atlas_row_count():
    """How many Atlas records the database holds, reference data (countries, themes) left out."""
    return sum(model._base_manager.count() for model in backup_models() if model not in REFERENCE_DATA)


class Loader:
    """Replaces the Atlas rows of the database with the file's, model by model, in one transaction."""

    def __init__(self, path):
        self.path = path
        self.members = backup_models()
        self.pks = {}  # {natural-key model: {key: pk here}}
        self.next_free = {}  # {natural-key model: the next id that no row here nor in the file has}
        self.missing = defaultdict(int)  # {label of a model outside the Atlas: references not found here}
        self.outside = {}
        self.renumbered = 0

    def load(self, replace=False, allow_missing=False):
        """Returns ({label: (count, checksum)} of the file, the same read back from the database)."""
        expected, max_ids = verify(self.path)
        by_label = {model._meta.label: model for model in self.members}
        with bulk_change():
            existing = atlas_row_count()
            if existing and not replace:
                raise BackupError(
                    _(
                        "The Atlas of this database is not empty (%(count)d records): atlas_load --replace "
                        "replaces it."
                    )
                    % {"count": existing}
                )
            editing = {model: self.editing_state(model) for model in self.members}
            for model, key_field in NATURAL_KEYS.items():
                self.pks[model] = dict(model._base_manager.values_list(key_field, "pk"))
                here = max(self.pks[model].values(), default=0)
                self.next_free[model] = max(here, max_ids[model._meta.label]) + 1
            with connection.cursor() as cursor:
                for model in reversed(self.members):
                    # Table names from the models' own meta, quoted: no user input reaches the SQL.
                    for field in m2m_fields(model):
                        cursor.execute(f"DELETE FROM {self.table(field.remote_field.through)}")  # noqa: S608
                    cursor.execute(f"DELETE FROM {self.table(model)}")  # noqa: S608
            batch, current = [], None
            for record in records_in(self.path):
                model = by_label[record["model"]]
                if batch and (model is not current or len(batch) == BATCH):
                    self.insert(current, batch, editing[current])
                    batch = []
                current = model
                batch.append(record)
            if batch:
                self.insert(current, batch, editing[current])
            if self.missing and not allow_missing:
                raise BackupError(
                    _(
                        "The file points to %(count)d records that this database does not have (%(models)s): "
                        "restore them first (the accounts come with the database dump), or load with "
                        "--allow-missing to leave those references empty."
                    )
                    % {
                        "count": sum(self.missing.values()),
                        "models": ", ".join(f"{label}: {n}" for label, n in sorted(self.missing.items())),
                    }
                )
            self.reset_sequences()
            try:
                connection.check_constraints()
            except IntegrityError as error:
                raise BackupError(
                    _(
                        "Records outside the Atlas (dossiers, Bourse projects, organisations, pages...) "
                        "point to Atlas records that the file does not have. %(error)s"
                    )
                    % {"error": error}
                ) from error
            loaded = checksums()
            # Only a reference left empty (--allow-missing) or a record that kept its id here under its
            # natural key may make the database differ from the file; anything else is a loss.
            differing = [
                label
                for label in expected
                if loaded[label][0] != expected[label][0]
                or (loaded[label] != expected[label] and not (self.missing or self.renumbered))
            ]
            if differing:
                raise BackupError(
                    _("The loaded records differ from the file (%(models)s).")
                    % {"models": ", ".join(differing)}
                )
        return expected, loaded

    @staticmethod
    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    @staticmethod
    def editing_state(model):
        """{pk: {column: value}} of Wagtail's editing state for the rows here, which the load keeps."""
        fields = [f for f in model._meta.concrete_fields if f.name in EDITING_STATE]
        if not fields:
            return {}
        rows = model._base_manager.values_list("pk", *[f.attname for f in fields])
        return {pk: dict(zip([f.attname for f in fields], values, strict=True)) for pk, *values in rows}

    def pk_for(self, model, record):
        """The id a record takes here: the file's, or for a natural-key record the one its key already has
        here; a new key whose file id another row here had takes a fresh id (what pointed to that row must
        not silently point to this one)."""
        if model not in NATURAL_KEYS:
            return record["id"]
        pks = self.pks[model]
        key = record["key"]
        if key not in pks:
            if record["id"] in set(pks.values()):
                pks[key] = self.next_free[model]
                self.next_free[model] += 1
            else:
                pks[key] = record["id"]
        if pks[key] != record["id"]:
            self.renumbered += 1
        return pks[key]

    def resolve(self, target, value):
        """A written foreign key back to a pk here (None, and counted, when the record is not here)."""
        if value is None:
            return None
        if target in NATURAL_KEYS:
            if value not in self.pks[target]:
                raise BackupError(
                    _("The file points to a %(model)s it does not hold (%(key)s): it is damaged.")
                    % {"model": target._meta.label, "key": value}
                )
            return self.pks[target][value]
        if target in self.members:
            return value
        # Outside the Atlas: accounts by username, other records (images) by id.
        if target not in self.outside:
            key_field = References().key_field(target) or "pk"
            self.outside[target] = dict(target._base_manager.values_list(key_field, "pk"))
        pk = self.outside[target].get(value)
        if pk is None:
            self.missing[target._meta.label] += 1
        return pk

    def insert(self, model, batch, editing):
        """Insert `batch` (records of `model`) with the ids decided for them, and their many-to-many links."""
        fields = data_fields(model)
        state_fields = [f for f in model._meta.concrete_fields if f.name in EDITING_STATE]
        columns = [model._meta.pk] + fields + state_fields
        rows = []
        links = defaultdict(list)
        for record in batch:
            pk = self.pk_for(model, record)
            values = [pk]
            for field in fields:
                value = record["fields"][field.name]
                if field.is_relation:
                    values.append(self.resolve(field.related_model, value))
                    continue
                try:
                    values.append(python_value(field, value))
                except (ValueError, TypeError, InvalidOperation, ValidationError) as error:
                    raise BackupError(
                        _("A %(model)s record of the file has an unreadable %(field)s.")
                        % {"model": model._meta.label, "field": field.name}
                    ) from error
            kept = editing.get(pk, {})
            for field in state_fields:
                values.append(kept.get(field.attname, field.get_default()))
            rows.append(
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(columns, values, strict=True)
                ]
            )
            for field in m2m_fields(model):
                for target in record["fields"][field.name]:
                    links[field].append((pk, self.resolve(field.related_model, target)))
        self.execute(model, [field.column for field in columns], rows)
        for field, pairs in links.items():
            through = field.remote_field.through
            self.execute(through, [field.m2m_column_name(), field.m2m_reverse_name()], pairs)

    def execute(self, model, columns, rows):
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {self.table(model)} ({names}) VALUES ({placeholders})"  # noqa: S608
        try:
            # A savepoint, so that PostgreSQL can still run the rollback's error path cleanly.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        except IntegrityError as error:
            raise BackupError(
                _("The %(model)s records of the file break a rule of the database (%(error)s).")
                % {"model": model._meta.label, "error": error}
            ) from error

    def reset_sequences(self):
        """Rows were inserted with their ids: the next row added must not take one of them."""
        tables = list(self.members)
        tables += [field.remote_field.through for model in self.members for field in m2m_fields(model)]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)
