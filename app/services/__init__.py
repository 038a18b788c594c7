"""Use cases over the models, free of Qt: validation, permissions, numbering, search, statistics.

Every public function takes a `ServiceContext` (the database and who is acting), opens its own
short session, and returns detached objects or plain data.
"""
