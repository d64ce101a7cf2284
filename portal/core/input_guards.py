"""An integer out of the database's range matches no row, whatever field or relation it is compared with.

Django already answers "no row" for `integer_field=value` when the value is beyond the column's range (instead
of letting SQLite raise OverflowError or PostgreSQL "integer out of range"), but not for a relation
(`page_ptr=99999999999999999999`, every Wagtail page type's primary key; `authority=...`) nor for `__in`.
A huge number typed in an address (/compte/tourisme/experiences/99999999999999999999/) or a form then ended
in a server error instead of a 404 or a form error. These lookups, registered once at start-up
(PortalConfig.ready), give the same answer as Django's own: such a value can equal nothing.
"""

from django.core.exceptions import ValidationError
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In
from django.db.models.sql.where import EmptyResultSet


def integer_range(field, connection):
    """(lowest, highest) value the column of `field` holds, or (None, None) if it is not an integer column;
    a relation's column is its target's."""
    while getattr(field, "remote_field", None) is not None and hasattr(field, "target_field"):
        field = field.target_field
    if not isinstance(field, IntegerField):
        return None, None
    return connection.ops.integer_field_range(field.get_internal_type())


def out_of_range(value, low, high):
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and ((low is not None and value < low) or (high is not None and value > high))
    )


class RelatedExactInRange(RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and out_of_range(
            self.rhs, *integer_range(self.lhs.output_field, connection)
        ):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class InRangeMixin:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = integer_range(self.lhs.output_field, connection)
            # In.process_rhs raises EmptyResultSet when nothing is left.
            self.rhs = [value for value in self.rhs if not out_of_range(value, low, high)]
        return super().process_rhs(compiler, connection)


class IntegerInRange(InRangeMixin, In):
    pass


class RelatedInRange(InRangeMixin, RelatedIn):
    pass


def register_range_lookups():
    ForeignObject.register_lookup(RelatedExactInRange)
    ForeignObject.register_lookup(RelatedInRange)
    IntegerField.register_lookup(IntegerInRange)


def login_attempt_username(request, credentials=None):
    """The username django-axes records for a login attempt, cut to its column's 255 characters.

    Axes stores what was typed, not what exists: a 3,000-character "username" posted to a login form
    otherwise ended in a database error on PostgreSQL (SQLite does not enforce lengths)."""
    data = credentials or getattr(request, "data", request.POST)
    username = data.get("username")
    return username[:255] if isinstance(username, str) else username


def tolerate_forged_chooser_ids():
    """Wagtail's chooser widgets (pages, images, documents, every snippet: the authority of a cooperation, the
    country of a partner...) look the posted id up again to show a refused form, and fail with a server
    error when it is not a number ("nan", "../etc"): only a forged form sends one, and it now shows the
    field empty with the form's own error. Wagtail 7.4 catches DoesNotExist only (BaseChooser.get_instance).
    """
    from wagtail.admin.widgets.chooser import BaseChooser

    get_instance = BaseChooser.get_instance
    if getattr(get_instance, "tolerates_forged_ids", False):
        return

    def tolerant_get_instance(self, value):
        try:
            return get_instance(self, value)
        except (ValueError, TypeError, ValidationError):
            return None

    tolerant_get_instance.tolerates_forged_ids = True
    BaseChooser.get_instance = tolerant_get_instance
