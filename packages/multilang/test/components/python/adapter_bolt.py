"""A BasicBolt written with Topo's Python adapter (topo_multilang). Input [action, n]:
print prints; raise raises the first time; taskids emits asking for task ids and logs
them; metric adds 3 to py.count; direct:<task> emits directly; anything else echoes."""
from topo_multilang import BasicBolt

raised = set()


class ActionBolt(BasicBolt):
    def initialize(self, conf, context):
        self.log('initialized task %s of %s in %s' % (self.task_id, self.component_id, conf['topology.name']))

    def process(self, tup):
        if tup.is_tick():
            self.emit(['tick', tup.get('rate_secs')])
            return
        action, n = tup.get('action'), tup.get('n')
        if action == 'print':
            print('printed', n)
        elif action == 'raise' and n not in raised:
            raised.add(n)
            raise ValueError('bad %s' % n)
        elif action == 'taskids':
            self.log('task ids %s' % self.emit([action, n], need_task_ids=True))
            return
        elif action == 'metric':
            self.metric('py.count', 3)
        elif action.startswith('direct:'):
            self.emit([action, n], stream='direct', direct_task=int(action[7:]))
            return
        self.emit([action, n])


if __name__ == '__main__':
    ActionBolt().run()
