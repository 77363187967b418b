# The multi-lang JSON framing for the Ruby test components, written for these tests
# against the protocol: lines until "end", compact JSON out followed by "\nend\n".
require 'json'

module Wire
  @pending = []

  def self.read
    lines = []
    loop do
      line = $stdin.gets
      exit(0) if line.nil?
      line = line.chomp
      return JSON.parse(lines.join("\n")) if line == 'end'
      lines << line
    end
  end

  def self.send_message(message)
    $stdout.write("#{JSON.generate(message)}\nend\n")
    $stdout.flush
  end

  # The next command, including those that arrived while waiting for task ids.
  def self.next_command
    @pending.empty? ? read : @pending.shift
  end

  # Like storm.rb: after an emit, read until the task-id list, keeping commands for later.
  def self.task_ids
    loop do
      message = read
      return message if message.is_a?(Array)
      @pending << message
    end
  end

  # Reads the setup, answers with the pid, then creates the pid file (storm.rb's order).
  def self.handshake
    setup = read
    send_message({ 'pid' => Process.pid })
    File.open(File.join(setup['pidDir'], Process.pid.to_s), 'w') {}
    setup
  end
end
