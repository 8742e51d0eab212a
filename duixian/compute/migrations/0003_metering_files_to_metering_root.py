"""Metering files move from MEDIA_ROOT/metering/ to METERING_ROOT, the one folder the compute
code and `duixian backup` both use. The rows keep their names (`metering/<file>.parquet`,
`metering/uploads/<file>`); only where the files lie changes. A file already present under
METERING_ROOT is left as it is (and its copy under MEDIA_ROOT too).
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move_files(apps, schema_editor):
    old = Path(settings.MEDIA_ROOT) / "metering"
    new = Path(settings.METERING_ROOT)
    if not old.is_dir() or old.resolve() == new.resolve():
        return
    for path in sorted(p for p in old.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(old)
        if relative.name == ".import.lock":
            continue
        target = new / relative
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, target)
        except OSError:  # another file system: copy, then remove
            partial = target.with_name(f".{target.name}.part")
            shutil.copy2(path, partial)
            os.replace(partial, target)
            path.unlink()


class Migration(migrations.Migration):
    dependencies = [("compute", "0002_publish_objections_jobs")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True)]
