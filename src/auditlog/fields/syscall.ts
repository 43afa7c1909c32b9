/**
 * Fields of Falco's `syscall` event source, as Falco documents them ("Supported Fields for
 * Conditions and Outputs", https://falco.org/docs/reference/rules/supported-fields/, the output of
 * `falco --list=syscall`; libsinsp field classes evt, proc, thread, user, group, container, fd,
 * fs.path and k8s). Names, types and argument forms are upstream's; descriptions are shortened. The
 * table covers the classes rules about processes, files and connections use; `palisade export
 * falco` writes rules against it and the loader refuses any field that is not here.
 *
 * Evaluating them needs a kernel event stream palisade does not have: the extractor reads flat
 * records keyed by field name (synthetic events in tests, or events recorded by Falco's
 * json_output), which is all the rule tests need.
 */
import type { FieldCatalog, FieldInfo, FieldType, FieldValue } from './types.js';
import { fieldCatalog } from './index.js';

const KEY = { required: true, kind: 'key' } as const;
const OPTIONAL_INDEX = { required: false, kind: 'index' } as const;

function f(name: string, type: FieldType, desc: string, provider: string, options: { list?: boolean; arg?: FieldInfo['arg'] } = {}): FieldInfo {
  return { name, type, list: options.list ?? false, ...(options.arg ? { arg: options.arg } : {}), desc, source: 'syscall', provider };
}

const evt = (name: string, type: FieldType, desc: string, arg?: FieldInfo['arg']): FieldInfo => f(name, type, desc, 'evt', arg ? { arg } : {});
const proc = (name: string, type: FieldType, desc: string, options: { list?: boolean; arg?: FieldInfo['arg'] } = {}): FieldInfo => f(name, type, desc, 'process', options);
const fd = (name: string, type: FieldType, desc: string): FieldInfo => f(name, type, desc, 'fd');

export const SYSCALL_FIELDS: readonly FieldInfo[] = [
  evt('evt.num', 'uint64', 'event number'),
  evt('evt.time', 'string', 'event timestamp as a time string with nanoseconds'),
  evt('evt.time.iso8601', 'string', 'event timestamp in ISO 8601 format'),
  evt('evt.rawtime', 'abstime', 'absolute event timestamp, nanoseconds from epoch'),
  evt('evt.type', 'string', 'the name of the event (e.g. open)'),
  evt('evt.dir', 'string', "event direction: '>' for enter events, '<' for exit events"),
  evt('evt.category', 'string', 'the event category (file, net, process, …)'),
  evt('evt.cpu', 'int64', 'number of the CPU where this event happened'),
  evt('evt.args', 'string', 'all the event arguments, aggregated into a single string'),
  evt('evt.arg', 'string', 'one of the event arguments, by name or index (evt.arg.fd, evt.arg[0])', KEY),
  evt('evt.rawarg', 'string', 'one of the event arguments, by name, unformatted', KEY),
  evt('evt.res', 'string', 'event return value, as a string (SUCCESS or an error code such as EINPROGRESS)'),
  evt('evt.rawres', 'int64', 'event return value, as a number'),
  evt('evt.failed', 'bool', "'true' for events that returned an error status"),
  evt('evt.is_io', 'bool', "'true' for events that read or write to FDs"),
  evt('evt.is_io_read', 'bool', "'true' for events that read from FDs"),
  evt('evt.is_io_write', 'bool', "'true' for events that write to FDs"),
  evt('evt.is_open_read', 'bool', "'true' for open/openat/openat2/open_by_handle_at events where the path was opened for reading"),
  evt('evt.is_open_write', 'bool', "'true' for open/openat/openat2/open_by_handle_at events where the path was opened for writing"),
  evt('evt.is_open_exec', 'bool', "'true' for open/openat/openat2/open_by_handle_at or creat events where a file is created with execute permissions"),
  evt('evt.hostname', 'string', 'the hostname of the underlying host'),

  proc('proc.exe', 'string', 'the first command-line argument (argv[0])'),
  proc('proc.pexe', 'string', 'the proc.exe of the parent process'),
  proc('proc.exepath', 'string', 'the full executable path of the process'),
  proc('proc.pexepath', 'string', 'the proc.exepath of the parent process'),
  proc('proc.name', 'string', 'the name (excluding the path) of the executable generating the event'),
  proc('proc.pname', 'string', 'the proc.name of the parent process'),
  proc('proc.aname', 'string', 'the proc.name of an ancestor (proc.aname[1] is the parent); without an index, matches any ancestor', { arg: OPTIONAL_INDEX }),
  proc('proc.args', 'string', 'the arguments passed on the command line, concatenated'),
  proc('proc.cmdline', 'string', 'the full command line: proc.name + proc.args'),
  proc('proc.pcmdline', 'string', 'the proc.cmdline of the parent process'),
  proc('proc.cwd', 'string', 'the current working directory of the event'),
  proc('proc.pid', 'int64', 'the id of the process generating the event'),
  proc('proc.ppid', 'int64', 'the pid of the parent process'),
  proc('proc.vpid', 'int64', 'the id of the process as seen from its own PID namespace'),
  proc('proc.sname', 'string', 'the name of the current process\'s session leader'),
  proc('proc.tty', 'int64', 'the controlling terminal of the process; 0 for processes without a terminal'),
  proc('proc.is_exe_writable', 'bool', "'true' if this process' executable file is writable by the same user that spawned it"),
  proc('proc.is_exe_upper_layer', 'bool', "'true' if this process' executable file is in the upper layer of an overlayfs (written after the container started)"),
  proc('proc.env', 'string', 'the environment variables of the process, or one of them with proc.env[NAME]', { arg: { required: false, kind: 'key' } }),
  f('thread.tid', 'int64', 'the id of the thread generating the event', 'thread'),

  f('user.uid', 'uint64', 'user ID', 'user'),
  f('user.name', 'string', 'user name', 'user'),
  f('user.loginuid', 'int64', 'audit user ID (auid); -1 when not set', 'user'),
  f('user.loginname', 'string', 'audit user name (auid)', 'user'),
  f('group.gid', 'uint64', 'group ID', 'group'),
  f('group.name', 'string', 'group name', 'group'),

  f('container.id', 'string', 'the truncated container ID (first 12 characters); "host" for host processes', 'container'),
  f('container.name', 'string', 'the container name', 'container'),
  f('container.image', 'string', 'the container image name (e.g. falcosecurity/falco:latest)', 'container'),
  f('container.image.id', 'string', 'the container image id (e.g. 6f7e2741b66b)', 'container'),
  f('container.image.repository', 'string', 'the container image repository (e.g. falcosecurity/falco)', 'container'),
  f('container.image.tag', 'string', 'the container image tag (e.g. stable, latest)', 'container'),
  f('container.image.digest', 'string', 'the container image registry digest (e.g. sha256:d977378…)', 'container'),
  f('container.privileged', 'bool', "'true' for containers running as privileged", 'container'),
  f('container.healthcheck', 'string', "the container's health check", 'container'),

  fd('fd.num', 'int64', 'the unique number identifying the file descriptor'),
  fd('fd.type', 'string', "type of FD: 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify', 'signalfd' or 'memfd'"),
  fd('fd.typechar', 'string', "type of FD as a single character: 'f' file, 4 IPv4 socket, 6 IPv6 socket, 'u' unix socket, 'p' pipe, …"),
  fd('fd.name', 'fspath', 'FD full name: the full path of a file, or the connection tuple of a socket'),
  fd('fd.directory', 'fspath', 'if the fd is a file, the directory that contains it'),
  fd('fd.filename', 'string', 'if the fd is a file, the filename without the path'),
  fd('fd.ip', 'ipaddr', '(FILTER ONLY) matches the IP address (client or server) of the fd'),
  fd('fd.cip', 'ipaddr', 'client IP address'),
  fd('fd.sip', 'ipaddr', 'server IP address'),
  fd('fd.lip', 'ipaddr', 'local IP address'),
  fd('fd.rip', 'ipaddr', 'remote IP address'),
  fd('fd.port', 'uint64', '(FILTER ONLY) matches the port (client or server) of the fd'),
  fd('fd.cport', 'uint64', 'for TCP/UDP FDs, the client port'),
  fd('fd.sport', 'uint64', 'for TCP/UDP FDs, the server port'),
  fd('fd.lport', 'uint64', 'for TCP/UDP FDs, the local port'),
  fd('fd.rport', 'uint64', 'for TCP/UDP FDs, the remote port'),
  fd('fd.l4proto', 'string', "the IP protocol of a socket: 'tcp', 'udp', 'icmp' or 'raw'"),
  fd('fd.sockfamily', 'string', "the socket family for socket events: 'ip' or 'unix'"),
  fd('fd.is_server', 'bool', "'true' if the process owning this FD is the server endpoint in the connection"),
  fd('fd.net', 'ipnet', '(FILTER ONLY) matches the IP network (client or server) of the fd'),
  fd('fd.cnet', 'ipnet', '(FILTER ONLY) matches the client IP network of the fd'),
  fd('fd.snet', 'ipnet', '(FILTER ONLY) matches the server IP network of the fd'),
  fd('fd.lnet', 'ipnet', '(FILTER ONLY) matches the local IP network of the fd'),
  fd('fd.rnet', 'ipnet', '(FILTER ONLY) matches the remote IP network of the fd'),
  fd('fd.connected', 'bool', "for TCP/UDP FDs, 'true' if the socket is connected"),
  fd('fd.name_changed', 'bool', "'true' when an event changes the name of an fd used by this event"),

  f('fs.path.name', 'fspath', 'for any event type that deals with a filesystem path, the path the file syscall is operating on', 'fs.path'),

  f('k8s.pod.name', 'string', 'the Kubernetes pod name', 'k8s'),
  f('k8s.pod.uid', 'string', 'the Kubernetes pod UID', 'k8s'),
  f('k8s.pod.label', 'string', 'a Kubernetes pod label, k8s.pod.label[foo]', 'k8s', { arg: KEY }),
  f('k8s.pod.labels', 'string', 'the Kubernetes pod labels, comma-separated key:value', 'k8s'),
  f('k8s.pod.ip', 'string', 'the Kubernetes pod IP', 'k8s'),
  f('k8s.ns.name', 'string', 'the Kubernetes namespace name', 'k8s'),
];

/** What a filter-only network field matches: the IP field of the same endpoint. */
const NET_OF: Readonly<Record<string, readonly string[]>> = {
  'fd.snet': ['fd.sip'],
  'fd.cnet': ['fd.cip'],
  'fd.lnet': ['fd.lip'],
  'fd.rnet': ['fd.rip'],
  'fd.net': ['fd.cip', 'fd.sip'],
  'fd.ip': ['fd.cip', 'fd.sip'],
  'fd.port': ['fd.cport', 'fd.sport'],
};

/** A syscall event as a flat record of field values (`proc.name`, `k8s.pod.label[app]`, …). */
export type SyscallEvent = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The `syscall` source over flat records; filter-only fields read the fields they stand for. */
export const SYSCALL_CATALOG: FieldCatalog<SyscallEvent> = fieldCatalog<SyscallEvent>('syscall', [SYSCALL_FIELDS], (info) => (arg) => {
  const keys = NET_OF[info.name] ?? [arg === undefined ? info.name : `${info.name}[${arg}]`];
  return (event): FieldValue => {
    const values = keys.map((k) => event[k]).filter((v): v is string | readonly string[] => v !== undefined);
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values.flat();
  };
});
