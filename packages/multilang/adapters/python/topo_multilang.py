"""Topo's multi-lang adapter for Python: bolts and spouts for Topo's ShellBolt and
ShellSpout (or Apache Storm's), using the standard library only.

    from topo_multilang import BasicBolt

    class SplitBolt(BasicBolt):
        def process(self, tup):
            for word in tup.get('line').split():
                self.emit([word])

    if __name__ == '__main__':
        SplitBolt().run()

The wire format is read off the engine's first message: JSON (Storm's default), or
msgpack when the `msgpack` module is installed and the engine speaks it. Output is
written in batches, flushed whenever the adapter would wait for input, so a busy bolt
makes one write per batch of inputs rather than one per message. Anything printed to
stdout goes to the engine's log instead of corrupting the protocol.
"""
import json
import os
import sys
import traceback

__all__ = ['Tuple', 'Bolt', 'BasicBolt', 'Spout', 'TopoProtocolError']

_LEVELS = {'trace': 0, 'debug': 1, 'info': 2, 'warn': 3, 'error': 4}
_END = b'\nend\n'
# Output is flushed before waiting for input, and whenever this much is waiting: the engine
# then works on the first acks while this process works on the rest of its input.
_FLUSH_BYTES = 32768


class TopoProtocolError(Exception):
    """The engine sent something this adapter cannot understand."""


class Tuple(object):
    """An input tuple: `values` by position, or by field name with `get`."""

    __slots__ = ('id', 'component', 'stream', 'task', 'values', 'fields', '_finished')

    def __init__(self, id, component, stream, task, values, fields):
        self.id = id
        self.component = component
        self.stream = stream
        self.task = task
        self.values = values
        self.fields = fields
        self._finished = False

    def get(self, field):
        try:
            return self.values[self.fields.index(field)]
        except ValueError:
            raise KeyError('stream %s of %s has no field %s (fields: %s)' % (self.stream, self.component, field, ', '.join(self.fields)))

    def is_tick(self):
        return self.stream == '__tick'

    def __repr__(self):
        return 'Tuple(id=%r, component=%r, stream=%r, task=%r, values=%r)' % (self.id, self.component, self.stream, self.task, self.values)


class _Channel(object):
    """Frames in and out over fds 0 and 1, and the task-id replies owed to emits."""

    def __init__(self):
        self._input = bytearray()
        self._position = 0
        self._output = []
        self._output_bytes = 0
        self._pending = []
        self._msgpack = None
        self._unpacker = None
        # print() and friends must not write into the protocol.
        self._stdout = sys.stdout
        sys.stdout = _LogWriter(self)

    def read(self):
        """The next message, taking one kept back while waiting for task ids first."""
        if self._pending:
            return self._pending.pop(0)
        return self._read_wire()

    def read_task_ids(self):
        """Waits for the task-id list of the emit just sent, keeping other messages for later."""
        while True:
            message = self._read_wire()
            if isinstance(message, list):
                return message
            self._pending.append(message)

    def _read_wire(self):
        while True:
            message = self._next_in_buffer()
            if message is not None:
                return message
            self.flush()
            chunk = os.read(0, 65536)
            if not chunk:
                raise EOFError('the engine closed stdin')
            if self._unpacker is not None:
                self._unpacker.feed(chunk)
            else:
                if self._msgpack is None and not self._input:
                    self._choose_format(chunk)
                    if self._unpacker is not None:
                        self._unpacker.feed(chunk)
                        continue
                self._input += chunk

    def _choose_format(self, chunk):
        first = chunk[0]
        self._msgpack = 0x80 <= first <= 0x8f or first in (0xde, 0xdf)
        if self._msgpack:
            try:
                import msgpack
            except ImportError:
                raise TopoProtocolError('the engine speaks msgpack; install the msgpack module (Debian: python3-msgpack)')
            self._unpacker = msgpack.Unpacker(raw=False)
            self._pack = lambda message: msgpack.packb(message, use_bin_type=True)

    def _next_in_buffer(self):
        if self._unpacker is not None:
            for message in self._unpacker:
                return message
            return None
        # Messages are taken from a read position; consumed bytes are dropped once per chunk, not per message.
        end = self._input.find(_END, self._position)
        if end < 0:
            del self._input[:self._position]
            self._position = 0
            return None
        text = self._input[self._position:end]
        self._position = end + len(_END)
        return json.loads(text.decode('utf-8'))

    def send(self, message):
        if self._msgpack:
            frame = self._pack(message)
        else:
            frame = json.dumps(message, separators=(',', ':')).encode('utf-8') + _END
        self._output.append(frame)
        self._output_bytes += len(frame)
        if self._output_bytes >= _FLUSH_BYTES:
            self.flush()

    def flush(self):
        if not self._output:
            return
        data = b''.join(self._output)
        self._output = []
        self._output_bytes = 0
        view = memoryview(data)
        while view:
            written = os.write(1, view)
            view = view[written:]

    def handshake(self):
        setup = self.read()
        pid = os.getpid()
        open(os.path.join(setup['pidDir'], str(pid)), 'w').close()
        self.send({'pid': pid})
        self.flush()
        return setup


class _LogWriter(object):
    """Stands in for sys.stdout: each line printed becomes a protocol log at info."""

    def __init__(self, channel):
        self._channel = channel
        self._partial = ''

    def write(self, text):
        lines = (self._partial + text).split('\n')
        self._partial = lines.pop()
        for line in lines:
            self._channel.send({'command': 'log', 'msg': line, 'level': 2})
        return len(text)

    def flush(self):
        if self._partial:
            self._channel.send({'command': 'log', 'msg': self._partial, 'level': 2})
            self._partial = ''


class _Component(object):
    def __init__(self):
        self._channel = None
        self.conf = {}
        self.context = {}

    @property
    def task_id(self):
        return self.context.get('taskid')

    @property
    def component_id(self):
        return self.context.get('componentid')

    def initialize(self, conf, context):
        """Called once with the topology config and Storm's context, before any input."""

    def log(self, message, level='info'):
        """A line in the engine's log; level is trace, debug, info, warn or error."""
        self._channel.send({'command': 'log', 'msg': str(message), 'level': _LEVELS.get(level, 2)})

    def report_error(self, message):
        """Reports an error for the component (shown by the engine; not fatal)."""
        self._channel.send({'command': 'error', 'msg': str(message)})

    def metric(self, name, value=1):
        """Adds `value` to the component's counter `name`."""
        self._channel.send({'command': 'metrics', 'name': name, 'params': value})

    def _emit(self, message, direct_task, need_task_ids):
        if direct_task is not None:
            message['task'] = direct_task
        elif not need_task_ids:
            message['need_task_ids'] = False
        self._channel.send(message)
        if direct_task is not None:
            return [direct_task]
        return self._channel.read_task_ids() if need_task_ids else None

    def _start(self):
        self._channel = _Channel()
        setup = self._channel.handshake()
        self.conf = setup.get('conf', {})
        self.context = setup.get('context', {})
        self.initialize(self.conf, self.context)


class Bolt(_Component):
    """A bolt that acks and fails its inputs itself. Override `process(tup)`."""

    auto_ack = False

    def __init__(self):
        _Component.__init__(self)
        self._current = None

    def process(self, tup):
        raise NotImplementedError('override process(tup)')

    def cleanup(self):
        """Called when the engine closes stdin, before the process exits."""

    def emit(self, values, stream='default', anchors=None, direct_task=None, need_task_ids=False):
        """Emits `values`, anchored to `anchors` (tuples; a BasicBolt anchors to the current input).
        Returns the task ids when `need_task_ids` (waiting for the engine's reply), or for a direct emit."""
        if anchors is None:
            anchors = [self._current] if self.auto_ack and self._current is not None else []
        elif isinstance(anchors, Tuple):
            anchors = [anchors]
        message = {'command': 'emit', 'tuple': values, 'stream': stream, 'anchors': [a.id for a in anchors]}
        return self._emit(message, direct_task, need_task_ids)

    def ack(self, tup):
        if not tup._finished:
            tup._finished = True
            self._channel.send({'command': 'ack', 'id': tup.id})

    def fail(self, tup):
        if not tup._finished:
            tup._finished = True
            self._channel.send({'command': 'fail', 'id': tup.id})

    def run(self):
        """Speaks the protocol until the engine closes stdin."""
        self._start()
        sources = self.context.get('source->stream->fields', {})
        channel = self._channel
        try:
            while True:
                message = channel.read()
                if isinstance(message, list):
                    continue  # a reply to an emit that did not wait for it
                stream = message['stream']
                if stream == '__heartbeat' and message['task'] == -1:
                    channel.send({'command': 'sync'})
                    continue
                component = message['comp']
                fields = ['rate_secs'] if stream == '__tick' else sources.get(component, {}).get(stream, [])
                tup = Tuple(message['id'], component, stream, message['task'], message['tuple'], fields)
                self._current = tup
                try:
                    self.process(tup)
                    if self.auto_ack:
                        self.ack(tup)
                except Exception:
                    self.report_error(traceback.format_exc())
                    self.fail(tup)
                finally:
                    self._current = None
        except EOFError:
            self.cleanup()
            channel.flush()


class BasicBolt(Bolt):
    """A bolt whose emits are anchored to the input being processed, which is acked when
    `process` returns and failed when it raises."""

    auto_ack = True


class Spout(_Component):
    """A source of tuples. Override `next_tuple()`; emit with `msg_id` to have the tuple tracked."""

    def next_tuple(self):
        raise NotImplementedError('override next_tuple()')

    def ack(self, msg_id):
        """The tuple emitted with `msg_id` was fully processed."""

    def fail(self, msg_id):
        """The tuple emitted with `msg_id` failed or timed out: emit it again to replay it."""

    def activate(self):
        pass

    def deactivate(self):
        pass

    def close(self):
        """Called when the engine closes stdin, before the process exits."""

    def emit(self, values, stream='default', msg_id=None, direct_task=None, need_task_ids=False):
        message = {'command': 'emit', 'tuple': values, 'stream': stream}
        if msg_id is not None:
            message['id'] = msg_id
        return self._emit(message, direct_task, need_task_ids)

    def run(self):
        """Speaks the protocol until the engine closes stdin."""
        self._start()
        channel = self._channel
        handlers = {
            'next': lambda command: self.next_tuple(),
            'ack': lambda command: self.ack(command['id']),
            'fail': lambda command: self.fail(command['id']),
            'activate': lambda command: self.activate(),
            'deactivate': lambda command: self.deactivate(),
        }
        try:
            while True:
                command = channel.read()
                if isinstance(command, list):
                    continue
                handler = handlers.get(command.get('command'))
                try:
                    if handler is None:
                        raise TopoProtocolError('unknown command %r' % command.get('command'))
                    handler(command)
                except Exception:
                    self.report_error(traceback.format_exc())
                channel.send({'command': 'sync'})
        except EOFError:
            self.close()
            channel.flush()
