"""Drops common English words, passing the others on: a bolt on Topo's Python adapter."""
from topo_multilang import BasicBolt

STOP_WORDS = frozenset('a an and are as at be but by for if in is it its of on or that the this to was were with'.split())


class StopWordsBolt(BasicBolt):
    def process(self, tup):
        word = tup.get('word')
        if word not in STOP_WORDS:
            self.emit([word])


if __name__ == '__main__':
    StopWordsBolt().run()
