"""Every report a command can give has a table renderer (they are looked up by class name)."""

from __future__ import annotations

import importlib
import pkgutil

import crpscli.answers
from crpscli.answers.common import Report
from crpscli.output.tables import RENDERERS


def test_every_report_class_has_a_renderer():
    for module in pkgutil.iter_modules(crpscli.answers.__path__):
        importlib.import_module(f"crpscli.answers.{module.name}")
    reports = {cls.__name__ for cls in Report.__subclasses__()}
    assert reports == set(RENDERERS)
