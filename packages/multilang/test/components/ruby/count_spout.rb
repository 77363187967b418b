# A spout for the tests in Ruby: emits ["ruby", i] for i below the count given as the
# first argument, with message id i, and emits failed ids again.
require_relative 'wire'

Wire.handshake
queue = (0...Integer(ARGV[0] || '5')).to_a
loop do
  command = Wire.next_command
  case command['command']
  when 'next'
    unless queue.empty?
      i = queue.shift
      Wire.send_message({ 'command' => 'emit', 'tuple' => ['ruby', i], 'id' => i })
      Wire.task_ids
    end
  when 'fail'
    queue << command['id']
  end
  Wire.send_message({ 'command' => 'sync' })
end
