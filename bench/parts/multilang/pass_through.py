"""The multi-lang bench's Python bolt: emits each input unchanged, anchored to it, and
acks it, on Topo's Python adapter."""
from topo_multilang import BasicBolt


class PassThroughBolt(BasicBolt):
    def process(self, tup):
        self.emit(tup.values)


if __name__ == '__main__':
    PassThroughBolt().run()
