"""A Spout written with Topo's Python adapter: emits ['py', i] for i below argv[1] with
message id i, logs acks, and emits failed ids again."""
import sys

from topo_multilang import Spout


class CountSpout(Spout):
    def initialize(self, conf, context):
        self.queue = list(range(int(sys.argv[1])))

    def next_tuple(self):
        if self.queue:
            i = self.queue.pop(0)
            self.emit(['py', i], msg_id=i)

    def ack(self, msg_id):
        self.log('acked %s' % msg_id)

    def fail(self, msg_id):
        self.queue.append(msg_id)


if __name__ == '__main__':
    CountSpout().run()
