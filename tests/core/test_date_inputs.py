"""Every ``<input type="date">`` of the portal renders its value as ISO ``YYYY-MM-DD``.

Under zh-hans Django writes a date with ``%Y/%m/%d`` (the first of the language's
DATE_INPUT_FORMATS); a date input only takes ``YYYY-MM-DD`` and Chromium drops anything else,
so a pre-filled date vanished (issue 9). The walk below finds every form and filter set of the
portal, so a date input added later without the shared widget fails here.
"""

import datetime as dt
import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from hukou_portal.core.widgets import DateInput

DAY = dt.date(2026, 5, 19)


def _portal_modules() -> None:
    """Import every module of the portal's own apps that may define a form or a filter set."""
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or "/.venv/" in config.path:
            continue
        for module in pkgutil.iter_modules([config.path]):
            if module.name in {"forms", "filters", "views"}:
                importlib.import_module(f"{config.name}.{module.name}")


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _date_widgets() -> list[tuple[str, forms.Widget]]:
    _portal_modules()
    widgets = []
    for form in _subclasses(forms.BaseForm):
        if not form.__module__.startswith(("hukou_portal.", "registration.", "permits.", "settlement.")):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            widgets.append((f"{form.__module__}.{form.__name__}.{name}", field.widget))
    for filterset in _subclasses(django_filters.FilterSet):
        if not filterset.__module__.startswith(("hukou_portal.", "registration.", "permits.", "settlement.")):
            continue
        for name, declared in filterset.base_filters.items():
            widgets.append((f"{filterset.__module__}.{filterset.__name__}.{name}", declared.field.widget))
    return [
        (where, widget)
        for where, widget in widgets
        if getattr(widget, "input_type", None) == "date" or widget.attrs.get("type") == "date"
    ]


def test_the_walk_finds_the_intake_date_inputs():
    found = {where for where, _widget in _date_widgets()}
    assert "settlement.forms.SettlementFactsForm.lease_filed_on" in found
    assert "registration.forms.DeclarationForm.lived_since" in found
    assert "permits.forms.PermitConversionForm.other_permit_valid_until" in found
    assert "hukou_portal.rules.forms.CalendarDayForm.date" in found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_renders_iso(language):
    with translation.override(language):
        for where, widget in _date_widgets():
            html = widget.render("day", DAY)
            assert 'value="2026-05-19"' in html, f"{where} renders {html}"


def test_the_shared_widget_is_iso_where_djangos_is_not():
    with translation.override("zh-hans"):
        assert 'value="2026/05/19"' in forms.DateInput(attrs={"type": "date"}).render("day", DAY)  # the cause
        assert DateInput().render("day", DAY) == '<input type="date" name="day" value="2026-05-19">'
