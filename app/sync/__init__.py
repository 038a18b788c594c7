"""Offline sync between copies (change log, packages, merge, conflicts). Qt-free.

Imports models and services; nothing below it imports this package.
"""
