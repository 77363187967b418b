"""The multi-lang wire format for the test components: Storm's JSON framing or msgpack.

Written for these tests against the protocol description, not taken from any adapter.
"""
import json
import os
import sys


class Wire:
    def __init__(self, serializer, compact=False):
        self.serializer = serializer
        # Compact JSON, as Topo's own adapter writes it (keys in the order the caller gives).
        self.separators = (',', ':') if compact else None
        # What to do when the engine closes stdin: leave, unless a test wants a stubborn process.
        self.on_eof = lambda: sys.exit(0)
        self.input = sys.stdin.buffer
        self.output = sys.stdout.buffer
        if serializer == 'msgpack':
            import msgpack
            self.unpacker = msgpack.Unpacker(raw=False)
            self.packb = msgpack.packb

    def read(self):
        if self.serializer == 'msgpack':
            while True:
                for message in self.unpacker:
                    return message
                chunk = os.read(0, 65536)
                if not chunk:
                    self.on_eof()
                self.unpacker.feed(chunk)
        lines = []
        while True:
            line = self.input.readline()
            if not line:
                self.on_eof()
            line = line.rstrip(b'\n')
            if line == b'end':
                return json.loads(b'\n'.join(lines).decode('utf-8'))
            lines.append(line)

    def send(self, message):
        if self.serializer == 'msgpack':
            self.output.write(self.packb(message, use_bin_type=True))
        else:
            self.output.write(json.dumps(message, separators=self.separators).encode('utf-8') + b'\nend\n')
        self.output.flush()

    def raw(self, data):
        self.output.write(data)
        self.output.flush()


def arguments():
    """--name value pairs and bare --flags from the command line."""
    args = {}
    argv = sys.argv[1:]
    i = 0
    while i < len(argv):
        name = argv[i][2:]
        if i + 1 < len(argv) and not argv[i + 1].startswith('--'):
            args[name] = argv[i + 1]
            i += 2
        else:
            args[name] = True
            i += 1
    return args


def handshake(wire, pid_file_first=False):
    """Reads the setup message, answers with the pid and creates the pid file (after the reply, as storm.py does)."""
    setup = wire.read()
    pid = os.getpid()
    path = os.path.join(setup['pidDir'], str(pid))
    if pid_file_first:
        open(path, 'w').close()
    wire.send({'pid': pid})
    if not pid_file_first:
        open(path, 'w').close()
    return setup


def once(name):
    """True the first time this (action, value) is seen across restarts, using marker files."""
    marks = os.environ.get('TOPO_TEST_MARKS')
    if marks is None:
        return True
    path = os.path.join(marks, name)
    if os.path.exists(path):
        return False
    open(path, 'w').close()
    return True
