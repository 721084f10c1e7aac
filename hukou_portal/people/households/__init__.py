"""Households (户): their members with history, the 户口簿 page, moves within and out of Huzhou,
and the 准迁证 of people moving in from outside (issue 12, parts 2 and 4). The models are in
``people.models``; writes in ``services``, reads in ``selectors``."""
