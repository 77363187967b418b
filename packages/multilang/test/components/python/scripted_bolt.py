"""A bolt for the tests, speaking the multi-lang protocol directly.

Each input's first value says what to do (see `handle`); misbehaviours happen once per
(action, value), remembered in $TOPO_TEST_MARKS, so that a replay after the restart
succeeds. By default it behaves like storm.py: it blocks for task ids after every
non-direct emit. With --style pystorm it sends need_task_ids false instead. With
--form topo it writes acks, fails and emits exactly as Topo's TypeScript adapter does
(compact, keys in its order, every emit with stream and need_task_ids), the form the
engine reads without building message objects. With --handshake-delay S it takes S
seconds to answer the handshake, as an interpreter with heavy imports would.
"""
import json
import os
import signal
import subprocess
import sys
import time

from wire import Wire, arguments, handshake, once

args = arguments()
topo_form = args.get('form') == 'topo'
wire = Wire(args.get('serializer', 'json'), compact=topo_form)
blocking = args.get('style', 'storm') == 'storm'

if 'exit-at-start' in args:
    sys.stderr.write('giving up before the handshake\n')
    sys.stderr.flush()
    sys.exit(2)
if 'ignore-term' in args:
    # Deaf to SIGTERM and to the end of stdin: only SIGKILL ends it.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    wire.on_eof = lambda: time.sleep(1000)

if 'never-handshake' in args:
    wire.read()
    sys.stderr.write('read the handshake, not answering\n')
    sys.stderr.flush()
    time.sleep(1000)
if 'handshake-delay' in args:
    time.sleep(float(args['handshake-delay']))
setup = handshake(wire)
if 'dump-setup' in args:
    with open(args['dump-setup'], 'w') as f:
        json.dump(setup, f)
context = setup['context']
sys.stderr.write('started task %s of %s\n' % (context['taskid'], context['componentid']))
sys.stderr.flush()

named = {}
if 'named-values' in args:
    # As pystorm's Bolt does at startup: a namedtuple type per stream of each source, with the
    # stream's fields as attribute names; a field name that is not an identifier raises here.
    from collections import namedtuple
    for source, streams in context['source->stream->fields'].items():
        for stream, fields in streams.items():
            named[(source, stream)] = namedtuple('Values', fields)

if 'record-pids' in args:
    open(os.path.join(args['record-pids'], str(os.getpid())), 'w').close()
    with open(os.path.join(args['record-pids'], 'dir-%d' % os.getpid()), 'w') as f:
        f.write(setup['pidDir'])
if 'spawn-helper' in args:
    # In a session of its own, out of reach of a signal to our process group: only the pid directory names it.
    helper = subprocess.Popen(['sleep', '1000'], start_new_session=True)
    open(os.path.join(setup['pidDir'], str(helper.pid)), 'w').close()
    if 'record-pids' in args:
        open(os.path.join(args['record-pids'], str(helper.pid)), 'w').close()

pending = []
held = []
ack_heartbeat = False


def next_message():
    return pending.pop(0) if pending else wire.read()


def task_ids():
    while True:
        message = wire.read()
        if isinstance(message, list):
            return message
        pending.append(message)


def emit(values, anchors, stream=None, task=None):
    if topo_form:
        message = {'command': 'emit', 'anchors': anchors, 'stream': stream or 'default', 'tuple': values, 'need_task_ids': blocking and task is None}
    else:
        message = {'command': 'emit', 'tuple': values, 'anchors': anchors}
        if stream is not None:
            message['stream'] = stream
        if not blocking and task is None:
            message['need_task_ids'] = False
    if task is not None:
        message['task'] = task
    wire.send(message)
    if blocking and task is None:
        return task_ids()
    return None


def log(text, level=2):
    wire.send({'command': 'log', 'msg': text, 'level': level})


def ack(tup):
    wire.send({'command': 'ack', 'id': tup['id']})


def handle(tup):
    global ack_heartbeat
    values = tup['tuple']
    action, _, arg = str(values[0]).partition(':')
    n = values[1] if len(values) > 1 else None
    key = '%s-%s' % (values[0], n)
    if action == 'echo':
        emit(values, [tup['id']])
        ack(tup)
    elif action == 'fail' and once(key):
        wire.send({'command': 'fail', 'id': tup['id']})
    elif action == 'log':
        log('log %s' % n, int(arg) if arg else 2)
        ack(tup)
    elif action == 'error':
        wire.send({'command': 'error', 'msg': 'trouble with %s' % n})
        ack(tup)
    elif action == 'metric':
        wire.send({'command': 'metrics', 'name': 'scripted.count', 'params': int(arg or 1)})
        ack(tup)
    elif action == 'direct':
        emit(values, [tup['id']], stream='direct', task=int(arg))
        ack(tup)
    elif action == 'stream':
        emit(values, [tup['id']], stream=arg)
        ack(tup)
    elif action == 'taskids':
        ids = emit(values, [tup['id']])
        log('task ids %s' % ids)
        ack(tup)
    elif action == 'named':
        row = named[(tup['comp'], tup['stream'])](*values)
        emit([row.action, row.n], [tup['id']])
        ack(tup)
    elif action == 'hold':
        held.append(tup)
    elif action == 'release':
        anchors = [t['id'] for t in held] + [tup['id']]
        emit(values, anchors)
        for t in held + [tup]:
            ack(t)
        del held[:]
    elif action == 'print':
        sys.stderr.write('stderr says %s\nand a second line\r\n' % n)
        sys.stderr.flush()
        ack(tup)
    elif not once(key):
        emit(values, [tup['id']])
        ack(tup)
    elif action == 'crash':
        sys.stderr.write('about to crash on %s\n' % n)
        sys.stderr.flush()
        sys.exit(3)
    elif action == 'cut-off':
        # An ack without its "end" line (msgpack: without its last bytes), then gone with status 0.
        message = {'command': 'ack', 'id': tup['id']}
        wire.raw(wire.packb(message)[:-2] if wire.serializer == 'msgpack' else json.dumps(message).encode('utf-8') + b'\n')
        sys.exit(0)
    elif action == 'malformed':
        wire.raw(b'{"command": "ack", "id": \nend\n')
    elif action == 'oversized':
        emit(['x' * int(arg), n], [tup['id']])
    elif action == 'no-command':
        wire.send({'id': tup['id']})
    elif action == 'ack-unknown':
        wire.send({'command': 'ack', 'id': 'no-such-id'})
    elif action == 'ack-unsent':
        # An id of the engine's own form that it never sent.
        wire.send({'command': 'ack', 'id': '999999999'})
    elif action == 'anchor-unsent':
        emit(values, ['999999999'])
    elif action == 'unknown-stream':
        emit(values, [tup['id']], stream='nope')
    elif action == 'wrong-types':
        wire.send({'command': 'emit', 'tuple': 'not a list', 'anchors': [tup['id']]})
    elif action == 'unknown-command':
        wire.send({'command': 'dance'})
    elif action == 'hang':
        sys.stderr.write('going quiet\n')
        sys.stderr.flush()
        time.sleep(1000)
    elif action == 'ack-heartbeat':
        ack_heartbeat = True
        emit(values, [tup['id']])
        ack(tup)
    else:
        raise Exception('unknown action %s' % action)


while True:
    tup = next_message()
    if isinstance(tup, list):
        raise Exception('unexpected task ids %s' % tup)
    if tup['stream'] == '__heartbeat' and tup['task'] == -1:
        if ack_heartbeat:
            ack(tup)
        else:
            log('heartbeat', 1)
            wire.send({'command': 'sync'})
    elif tup['stream'] == '__tick':
        emit(['tick', tup['tuple'][0]], [])
        ack(tup)
    else:
        handle(tup)
