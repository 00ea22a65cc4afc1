#!/usr/bin/perl
# Supervisor of one container of the node agent's process runtime. It runs in a session of its own, so it
# outlives the agent: it starts the command, writes its stdout and stderr to a CRI-format log file rotated
# by size (as the kubelet's container log manager), and records the exit code and finish time.
#
# usage: supervise.pl STATE_PREFIX LOG_FILE MAX_BYTES MAX_FILES WORKING_DIR [CGROUP_PROCS_FILE...] -- COMMAND [ARG...]
#   writes STATE_PREFIX.pid ("PID START_NANOS") once the command runs and STATE_PREFIX.exit
#   ("EXIT_CODE SIGNAL FINISH_NANOS [ERROR]") when it ended; tells its caller "started PID" or "failed WHY" on stdout.
use strict;
use warnings;
use POSIX ();
use IO::Select;

my $hires = eval { require Time::HiRes; 1 };

my ($state, $log, $max_bytes, $max_files, $workdir, @rest) = @ARGV;
my @cgroups;
while (@rest && $rest[0] ne '--') {
    push @cgroups, shift @rest;
}
shift @rest;
my @command = @rest;
die "supervise.pl: no command\n" unless @command;

sub now_nanos {
    if ($hires) {
        my ($seconds, $micros) = Time::HiRes::gettimeofday();
        return ($seconds, $micros * 1000);
    }
    return (time(), 0);
}

sub timestamp {
    my ($seconds, $nanos) = now_nanos();
    return POSIX::strftime('%Y-%m-%dT%H:%M:%S', gmtime($seconds)) . sprintf('.%09dZ', $nanos);
}

sub epoch_nanos {
    my ($seconds, $nanos) = now_nanos();
    return sprintf('%d%09d', $seconds, $nanos);
}

sub write_atomically {
    my ($path, $content) = @_;
    open(my $out, '>', "$path.tmp") or return;
    print $out $content;
    close($out);
    rename("$path.tmp", $path);
}

POSIX::setsid();
pipe(my $out_read, my $out_write) or die "pipe: $!\n";
pipe(my $err_read, my $err_write) or die "pipe: $!\n";
# perl opens pipes close-on-exec: this one reaches EOF when the exec succeeded, else carries the reason
pipe(my $failure_read, my $failure_write) or die "pipe: $!\n";

my $pid = fork();
die "fork: $!\n" unless defined $pid;
if ($pid == 0) {
    close($out_read);
    close($err_read);
    close($failure_read);
    my $fail = sub {
        print $failure_write $_[0];
        close($failure_write);
        POSIX::_exit(127);
    };
    # its own process group, so stopping the container signals everything it started
    setpgrp(0, 0);
    for my $procs (@cgroups) {
        open(my $cgroup, '>>', $procs) or $fail->("joining cgroup $procs: $!");
        print $cgroup "$$\n";
        close($cgroup) or $fail->("joining cgroup $procs: $!");
    }
    if ($workdir ne '') {
        chdir($workdir) or $fail->("working directory $workdir: $!");
    }
    open(STDIN, '<', '/dev/null') or $fail->("stdin: $!");
    open(STDOUT, '>&', $out_write) or $fail->("stdout: $!");
    open(STDERR, '>&', $err_write) or $fail->("stderr: $!");
    { no warnings 'exec'; exec { $command[0] } @command; }
    $fail->("exec $command[0]: $!");
}

$SIG{HUP} = 'IGNORE';
$SIG{INT} = 'IGNORE';
$SIG{PIPE} = 'IGNORE';
close($out_write);
close($err_write);
close($failure_write);
my $failure = do { local $/; <$failure_read> };
close($failure_read);
if (defined $failure && $failure ne '') {
    waitpid($pid, 0);
    write_atomically("$state.exit", "128 0 " . epoch_nanos() . " $failure\n");
    print STDOUT "failed $failure\n";
    exit 0;
}
write_atomically("$state.pid", "$pid " . epoch_nanos() . "\n");
$| = 1;
print STDOUT "started $pid\n";
open(STDOUT, '>', '/dev/null');

my $log_out;
my $size = 0;
sub open_log {
    open($log_out, '>>', $log) or die "log $log: $!\n";
    my $old = select($log_out);
    $| = 1;
    select($old);
    $size = -s $log || 0;
}

sub rotate {
    close($log_out);
    if ($max_files <= 1) {
        unlink($log);
    } else {
        for (my $i = $max_files - 1; $i > 1; $i--) {
            rename("$log." . ($i - 1), "$log.$i") if -e "$log." . ($i - 1);
        }
        rename($log, "$log.1");
    }
    open_log();
}

sub write_line {
    my ($stream, $tag, $text) = @_;
    my $line = timestamp() . " $stream $tag $text\n";
    rotate() if $size > 0 && $size + length($line) > $max_bytes;
    print $log_out $line;
    $size += length($line);
}

open_log();
# lines longer than this are split into partial (P) entries, as containerd does at 16 KiB
my $max_line = 16384;
my $select = IO::Select->new($out_read, $err_read);
my %stream = (fileno($out_read) => 'stdout', fileno($err_read) => 'stderr');
my %pending = (stdout => '', stderr => '');
my $status;
my $ended_at;
my $exited;
while ($select->count) {
    my @ready = $select->can_read(0.5);
    if (!defined $status && waitpid($pid, POSIX::WNOHANG()) == $pid) {
        $status = $?;
        $ended_at = epoch_nanos();
        $exited = time();
    }
    # processes the command left behind may hold its output open: read on for a moment only
    last if defined $status && (!@ready || time() - $exited > 2);
    for my $handle (@ready) {
        my $name = $stream{fileno($handle)};
        my $read = sysread($handle, my $chunk, 65536);
        if (!$read) {
            $select->remove($handle);
            write_line($name, 'F', $pending{$name}) if $pending{$name} ne '';
            $pending{$name} = '';
            next;
        }
        $pending{$name} .= $chunk;
        while ($pending{$name} =~ s/^([^\n]*)\n//) {
            my $text = $1;
            while (length($text) > $max_line) {
                write_line($name, 'P', substr($text, 0, $max_line, ''));
            }
            write_line($name, 'F', $text);
        }
        while (length($pending{$name}) > $max_line) {
            write_line($name, 'P', substr($pending{$name}, 0, $max_line, ''));
        }
    }
}
for my $name ('stdout', 'stderr') {
    write_line($name, 'F', $pending{$name}) if $pending{$name} ne '';
}
if (!defined $status) {
    waitpid($pid, 0);
    $status = $?;
    $ended_at = epoch_nanos();
}
close($log_out);
my $signal = $status & 127;
my $code = $signal ? 128 + $signal : $status >> 8;
write_atomically("$state.exit", "$code $signal $ended_at\n");
exit 0;
