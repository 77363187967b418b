# A bolt for the tests in Ruby: emits [word, word.length] anchored to each input and acks
# it, fails inputs whose word is "fail", answers heartbeats, acks ticks. Blocks for task
# ids after every emit, as storm.rb does.
require_relative 'wire'

Wire.handshake
loop do
  tup = Wire.next_command
  if tup['stream'] == '__heartbeat' && tup['task'] == -1
    Wire.send_message({ 'command' => 'sync' })
  elsif tup['stream'] == '__tick'
    Wire.send_message({ 'command' => 'ack', 'id' => tup['id'] })
  elsif tup['tuple'][0] == 'fail'
    Wire.send_message({ 'command' => 'fail', 'id' => tup['id'] })
  else
    word = tup['tuple'][0].to_s
    Wire.send_message({ 'command' => 'emit', 'anchors' => [tup['id']], 'tuple' => [word, word.length] })
    ids = Wire.task_ids
    Wire.send_message({ 'command' => 'log', 'msg' => "#{word} went to #{ids.inspect}", 'level' => 1 })
    Wire.send_message({ 'command' => 'ack', 'id' => tup['id'] })
  end
end
