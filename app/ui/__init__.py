"""The PySide6 desktop interface. Widgets call services through background tasks (tasks.py);
they never open a database session themselves."""
