"""A spout for the tests, speaking the multi-lang protocol directly, as storm.py does:
it blocks for task ids after each emit, and it emits once while initializing, before any
command has arrived. It emits ['item', i] for i in 0..count-1 with message id 'm<i>'
and emits a failed id again.

--count N       how many items (default 10)
--crash-after K exit (once, see $TOPO_TEST_MARKS) after emitting K items
--hang-after K  stop answering (once) after emitting K items
--dump-setup P  write the handshake's setup message to P as JSON
"""
import json
import sys
import time

from wire import Wire, arguments, handshake, once

args = arguments()
wire = Wire(args.get('serializer', 'json'))
count = int(args.get('count', 10))
crash_after = int(args.get('crash-after', -1))
hang_after = int(args.get('hang-after', -1))
setup = handshake(wire)
if 'dump-setup' in args:
    with open(args['dump-setup'], 'w') as f:
        json.dump(setup, f)
sys.stderr.write('spout started\n')
sys.stderr.flush()
pending = []


def read_command():
    return pending.pop(0) if pending else wire.read()


def emit(values, msg_id):
    wire.send({'command': 'emit', 'tuple': values, 'id': msg_id})
    while True:
        message = wire.read()
        if isinstance(message, list):
            return message
        pending.append(message)


def log(text):
    wire.send({'command': 'log', 'msg': text})


ids = emit(['init', -1], 'init')
log('init went to %s' % ids)
queue = list(range(count))
emitted = 0
while True:
    command = read_command()
    name = command['command']
    if name == 'next':
        if queue:
            i = queue.pop(0)
            emit(['item', i], 'm%d' % i)
            emitted += 1
            if emitted == crash_after and once('spout-crash'):
                sys.stderr.write('spout crashing after %d\n' % emitted)
                sys.stderr.flush()
                sys.exit(4)
            if emitted == hang_after and once('spout-hang'):
                time.sleep(1000)
    elif name == 'ack':
        log('acked %s' % command['id'])
    elif name == 'fail':
        log('failed %s' % command['id'])
        if command['id'] != 'init':
            queue.append(int(command['id'][1:]))
    elif name in ('activate', 'deactivate'):
        log(name)
    wire.send({'command': 'sync'})
