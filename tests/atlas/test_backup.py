"""The Atlas export and import (atlas_dump, atlas_load) lose nothing, and atlas_checksum can tell."""

import gzip
import json
from io import StringIO

import pytest

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from atlas import backup, seeding
from atlas.aid.models import AidDeclaration
from atlas.models import Authority, PartConfirmation, Project
from atlas.queries import atlas_version
from portal.accounts.models import Organisation
from tests.accounts.factories import OrganisationFactory
from tests.atlas.factories import (
    AidDeclarationFactory,
    AidLineFactory,
    AuthorityFactory,
    ContactFactory,
    CooperationFactory,
    NetworkFactory,
    ProjectFactory,
    ThemeFactory,
)


def french(msgid, **params):
    """What the French screen says for `msgid` (the commands run in the site's language, French)."""
    with translation.override("fr"):
        return gettext(msgid) % params if params else gettext(msgid)


def load(path, **options):
    with translation.override("fr"):
        call_command("atlas_load", str(path), no_index=True, stdout=StringIO(), **options)


def load_error(path, **options):
    with pytest.raises(CommandError) as raised:
        load(path, **options)
    return str(raised.value)


@pytest.fixture
def dump(tmp_path):
    def write(name="atlas.jsonl.gz"):
        path = tmp_path / name
        call_command("atlas_dump", str(path), stdout=StringIO())
        return path

    return write


def rewrite(path, change):
    """The file with its lines passed through `change` (a list of dicts in, a list of dicts out)."""
    with gzip.open(path, "rb") as raw:
        lines = [json.loads(line) for line in raw]
    with gzip.open(path, "wb") as raw:
        for value in change(lines):
            raw.write(backup.canonical(value).encode() + b"\n")


# Tests without the demo come first: once a test of this module builds the demo (demo_site), it stays
# until the module ends.
# Into an empty Atlas ----------------------------------------------------------------------------------


def test_an_empty_atlas_is_filled_again_with_the_same_ids_and_links(db, dump):
    user = get_user_model().objects.create_user("agent.bessancourt")
    network = NetworkFactory(name="Cités Unies France")
    theme = ThemeFactory(name="Forages solaires")
    authority = AuthorityFactory(name="Bessancourt")
    authority.networks.add(network)
    cooperation = CooperationFactory(authority=authority, is_twinning=True)
    project = ProjectFactory(cooperation=cooperation, budget=120000, description="Forages <b>& puits</b>")
    project.themes.add(theme)
    ContactFactory(authority=authority, first_name="Élodie")
    PartConfirmation.objects.create(authority=authority, part="contacts", confirmed_by=user)
    declaration = AidDeclarationFactory(authority=authority, draft_input={"lines": [{"amount": "12"}]})
    AidLineFactory(declaration=declaration, project=project)
    before = backup.checksums()
    path = dump()

    # Flushed as `manage.py flush` does: the tables emptied and their id sequences started again.
    tables = [model._meta.db_table for model in backup.backup_models()]
    tables += [Authority.networks.through._meta.db_table, Project.themes.through._meta.db_table]
    # PostgreSQL truncates no table with foreign-key checks still pending in the transaction: run them.
    connection.check_constraints()
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(
            no_style(), tables, reset_sequences=True, allow_cascade=True
        ):
            cursor.execute(statement)
    assert backup.atlas_row_count() == 0

    load(path)

    assert backup.checksums() == before
    project = Project.objects.get(pk=project.pk)
    assert project.description == "Forages <b>& puits</b>"
    assert project.budget == 120000
    assert [t.name for t in project.themes.all()] == ["Forages solaires"]
    assert project.cooperation.authority.networks.get().name == "Cités Unies France"
    assert PartConfirmation.objects.get().confirmed_by == user
    assert AidDeclaration.objects.get().lines.get().project == project
    # An agent can add records again: the ids the load gave are not handed out a second time.
    added = Project.objects.create(
        cooperation=project.cooperation, title="Après", summary="-", start_year=2025
    )
    assert added.pk > project.pk


def test_missing_accounts_are_refused_unless_allowed(db, dump):
    user = get_user_model().objects.create_user("agent.parti")
    PartConfirmation.objects.create(authority=AuthorityFactory(), part="contacts", confirmed_by=user)
    path = dump()
    PartConfirmation.objects.all().delete()
    Authority.objects.all().delete()
    user.delete()

    message = load_error(path)
    assert message == french(
        "Nothing was loaded: %(error)s",
        error=french(
            "The file points to %(count)d records that this database does not have (%(models)s): restore "
            "them first (the accounts come with the database dump), or load with --allow-missing to leave "
            "those references empty.",
            count=1,
            models="auth.User: 1",
        ),
    )
    assert backup.atlas_row_count() == 0

    load(path, allow_missing=True)
    assert PartConfirmation.objects.get().confirmed_by is None


# The checksum can fail ------------------------------------------------------------------------------------


def test_a_changed_record_changes_its_models_checksum_only(db):
    authority = AuthorityFactory(name="Bessancourt")
    project = ProjectFactory(cooperation=CooperationFactory(authority=authority), budget=1000)
    ContactFactory(authority=authority)
    before = backup.checksums()

    Project.objects.filter(pk=project.pk).update(budget=1001)
    after = backup.checksums()
    assert after["atlas.Project"] != before["atlas.Project"]
    assert after["atlas.Project"][0] == before["atlas.Project"][0]
    assert {k: v for k, v in after.items() if k != "atlas.Project"} == {
        k: v for k, v in before.items() if k != "atlas.Project"
    }

    # A link is part of its record; a reference is the natural key of what it points to.
    project.themes.add(ThemeFactory())
    assert backup.checksums()["atlas.Project"] != after["atlas.Project"]
    contacts = backup.checksums()["atlas.Contact"]
    Authority.objects.filter(pk=authority.pk).update(slug="bessancourt-95-bis")
    assert backup.checksums()["atlas.Contact"] != contacts


def test_atlas_checksum_prints_counts_and_checksums_per_model(db, capsys):
    AuthorityFactory()
    call_command("atlas_checksum")
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines}
    assert rows["atlas.Authority"][0] == "1"
    assert rows["atlas.Authority"][1] == backup.checksums()["atlas.Authority"][1]
    assert rows["total"][1] == backup.total_checksum(backup.checksums())


# The round trip ---------------------------------------------------------------------------------------


def test_the_demo_atlas_comes_back_identical_after_a_flush(demo_site, dump):
    before = backup.checksums()
    assert before["atlas.Authority"][0] > 0
    assert before["atlas.AidDeclaration"][0] > 0
    organisation = Organisation.objects.filter(authority__isnull=False).select_related("authority").first()
    path = dump()

    # Flush: every Atlas record that nothing outside the Atlas points to goes.
    seeding.reset()
    assert backup.checksums() != before
    version = atlas_version()

    load(path, replace=True)

    assert backup.checksums() == before
    # What the rest of the portal points to is the same record again (same id, same name).
    organisation.refresh_from_db()
    assert Organisation.objects.get(pk=organisation.pk).authority.name == organisation.authority.name
    # Cached Atlas pages and figures are dropped: the Atlas version changed with the load.
    assert atlas_version() != version
    # An agent can still add records: the ids taken by the load are not handed out again.
    project = Project.objects.order_by("pk").first()
    added = Project.objects.create(
        cooperation=project.cooperation,
        title="Nouveau projet",
        summary="Après la restauration",
        start_year=2025,
    )
    assert added.pk > max(Project.objects.exclude(pk=added.pk).values_list("pk", flat=True))


def test_a_load_into_an_atlas_that_is_not_empty_needs_replace(demo_site, dump):
    path = dump()
    before = backup.checksums()
    message = load_error(path)
    assert message == french(
        "Nothing was loaded: %(error)s",
        error=french(
            "The Atlas of this database is not empty (%(count)d records): atlas_load --replace replaces it.",
            count=backup.atlas_row_count(),
        ),
    )
    assert backup.checksums() == before


# Bad files change nothing -------------------------------------------------------------------------------


@pytest.fixture
def atlas_and_file(demo_site, dump):
    path = dump()
    # Something the file does not have, so that a load that went through would show.
    AuthorityFactory(name="Ajoutée après l'export")
    return path, backup.checksums()


def test_a_truncated_file_is_refused_and_changes_nothing(atlas_and_file):
    path, before = atlas_and_file
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    message = load_error(path, replace=True)
    assert message.startswith(french("Nothing was loaded: %(error)s", error="")), message
    assert "gzip" in message
    assert backup.checksums() == before


def test_a_file_of_another_version_is_refused_and_changes_nothing(atlas_and_file):
    path, before = atlas_and_file
    rewrite(path, lambda lines: [{**lines[0], "version": 99}, *lines[1:]])
    message = load_error(path, replace=True)
    expected = french(
        "This Atlas export is in version %(version)s of the format; this portal reads version "
        "%(expected)s only.",
        version=99,
        expected=1,
    )
    assert message == french("Nothing was loaded: %(error)s", error=expected)
    assert backup.checksums() == before


def test_an_altered_record_is_refused_and_changes_nothing(atlas_and_file):
    path, before = atlas_and_file

    def alter(lines):
        for value in lines:
            if value.get("model") == "atlas.Project":
                value["fields"]["budget"] = "1"
                break
        return lines

    rewrite(path, alter)
    message = load_error(path, replace=True)
    assert message == french(
        "Nothing was loaded: %(error)s",
        error=french(
            "The %(model)s records of the file do not match its checksum: the file is damaged.",
            model="atlas.Project",
        ),
    )
    assert backup.checksums() == before


def test_a_load_that_would_orphan_a_record_outside_the_atlas_changes_nothing(atlas_and_file):
    """The file's rows are all written before the check that fails: the whole load is undone."""
    path, before = atlas_and_file
    newcomer = Authority.objects.get(name="Ajoutée après l'export")
    OrganisationFactory(name="Mairie ajoutée", authority=newcomer)
    before = backup.checksums()

    message = load_error(path, replace=True)

    assert message.startswith(french("Nothing was loaded: %(error)s", error="")), message
    assert backup.checksums() == before
    assert Organisation.objects.get(name="Mairie ajoutée").authority == newcomer
