"""A PEP 517 build backend for topo_multilang, standard library only.

Why not setuptools: a Python 3.11 venv ships setuptools 65, which cannot build a wheel
without the separate `wheel` package, so `pip install --no-build-isolation` (and any
install without a package index) would fail. The adapter is a single pure-Python module,
and its wheel is a zip of that module and three metadata files.
"""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = 'topo_multilang'
DIST = 'topo-multilang'
# Released with @topo/multilang; its tests check that the two versions agree.
VERSION = '0.2.0'
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METADATA = '\n'.join([
    'Metadata-Version: 2.1',
    'Name: %s' % DIST,
    'Version: %s' % VERSION,
    "Summary: Topo's multi-lang adapter: bolts and spouts in Python for Topo's ShellBolt and ShellSpout (or Apache Storm's)",
    'License: MIT',
    'Requires-Python: >=3.6',
    'Provides-Extra: msgpack',
    'Requires-Dist: msgpack>=1.0; extra == "msgpack"',
    '',
])
WHEEL = '\n'.join(['Wheel-Version: 1.0', 'Generator: topo_multilang_backend', 'Root-Is-Purelib: true', 'Tag: py3-none-any', ''])
# Files of the source distribution, relative to SOURCE_DIR.
SDIST_FILES = ['pyproject.toml', NAME + '.py', os.path.join('_backend', 'topo_multilang_backend.py')]


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode('ascii')
    return '%s,sha256=%s,%d' % (path, digest, len(data))


def _write_wheel(wheel_directory, tag, files):
    """A wheel of `files` (archive path -> bytes) plus its dist-info; returns its file name."""
    dist_info = '%s-%s.dist-info' % (NAME, VERSION)
    files = dict(files)
    files[dist_info + '/METADATA'] = METADATA.encode('utf-8')
    files[dist_info + '/WHEEL'] = WHEEL.encode('utf-8')
    record_path = dist_info + '/RECORD'
    record = [_record_line(path, data) for path, data in files.items()] + [record_path + ',,']
    files[record_path] = ('\n'.join(record) + '\n').encode('utf-8')
    filename = '%s-%s-%s.whl' % (NAME, VERSION, tag)
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), 'w', zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return filename


def _module_source():
    with open(os.path.join(SOURCE_DIR, NAME + '.py'), 'rb') as source:
        return source.read()


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, 'py3-none-any', {NAME + '.py': _module_source()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth file puts the source folder on sys.path: edits to the adapter apply at once.
    return _write_wheel(wheel_directory, 'py3-none-any', {NAME + '.pth': (SOURCE_DIR + '\n').encode('utf-8')})


def build_sdist(sdist_directory, config_settings=None):
    base = '%s-%s' % (NAME, VERSION)
    filename = base + '.tar.gz'
    with tarfile.open(os.path.join(sdist_directory, filename), 'w:gz') as sdist:
        for path in SDIST_FILES:
            sdist.add(os.path.join(SOURCE_DIR, path), arcname='%s/%s' % (base, path.replace(os.sep, '/')))
        info = tarfile.TarInfo('%s/PKG-INFO' % base)
        data = METADATA.encode('utf-8')
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return filename
