"""Hukou Portal: case management for the household-registration offices of Huzhou."""

from .celery import app as celery_app

__all__ = ("celery_app",)
