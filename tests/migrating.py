"""Helpers of the tests that run a data migration: the database taken back to an earlier state
and forward again afterwards (also on a failure, so the other tests find their tables), and rows
of historical models made with every required field filled."""

import datetime as dt
from contextlib import contextmanager

from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor


@contextmanager
def migrated_back_to(targets):
    """The database at ``targets`` (a list of (app, migration)) inside, at the latest state after."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    try:
        yield executor
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def make_row(model, **values):
    """A row of a historical model with every required field not given filled with something."""
    for field in model._meta.concrete_fields:
        if field.name in values or field.attname in values or field.primary_key:
            continue
        if field.null or field.has_default() or isinstance(field, models.ForeignKey):
            continue
        if isinstance(field, models.DateTimeField):
            values[field.name] = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        elif isinstance(field, models.DateField):
            values[field.name] = dt.date(1980, 1, 1)
        elif isinstance(field, models.EmailField):
            values[field.name] = f"{model._meta.model_name}{model.objects.count()}@example.org"
        elif isinstance(field, models.CharField | models.TextField | models.SlugField):
            values[field.name] = f"{model._meta.model_name}-{model.objects.count()}"[
                -(field.max_length or 50) :
            ]
        elif isinstance(field, models.IntegerField | models.PositiveSmallIntegerField):
            values[field.name] = 1
    return model.objects.create(**values)
