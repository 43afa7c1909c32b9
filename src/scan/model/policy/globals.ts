/**
 * What pickles may import: the knowledge that changes with the world, kept as data.
 *
 * Sources: the deny-lists of picklescan 1.0.5, modelscan 8b8ed4b and fickling 0.1.12, the 36 published
 * bypasses of ../shared/research/models.md (section 3), and torch's `weights_only=True` allow-list.
 * Module entries cover their submodules ("os" covers "os.path"). Name entries may end in "*" to
 * match a prefix. Dotted names ("Path.write_text") are attribute walks; see judge.ts.
 *
 * Change them with a policy file (PolicyOverrides) rather than editing here.
 */

/** Whole modules (and their submodules) that no model needs: importing anything from them is malicious. */
export const DENY_MODULES: readonly string[] = [
  // processes, interpreters and code objects
  'os', 'posix', 'nt', 'subprocess', '_posixsubprocess', 'pty', 'popen2', 'sys', 'runpy', 'code', 'codeop',
  'marshal', 'importlib', '_frozen_importlib', '_frozen_importlib_external', '_imp', 'imp', 'zipimport',
  'pkgutil', 'site', 'inspect', 'multiprocessing', 'concurrent', '_interpreters', '_xxsubinterpreters',
  'threading', '_thread', 'signal', '_signal', 'atexit', 'ctypes', '_ctypes', 'gc',
  // nested unpicklers
  'pickle', '_pickle', 'pickletools', 'dill', 'cloudpickle', 'shelve',
  // debuggers, profilers and tools that run code strings
  'pdb', 'bdb', 'cProfile', 'profile', 'timeit', 'trace', 'pydoc', 'doctest', 'unittest', 'test', 'idlelib',
  'lib2to3', '_pyrepl', 'tkinter',
  // installers and build tools
  'pip', 'ensurepip', 'venv', 'distutils', 'setuptools', '_osx_support', '_aix_support', 'compileall',
  'py_compile',
  // files and shells
  'shutil', 'tempfile', 'glob', 'fileinput', 'filecmp', 'linecache', 'mailcap', 'pipes', 'pexpect',
  'tarfile', 'zipfile', 'mmap', 'sqlite3', '_sqlite3', 'logging', 'syslog',
  // network
  'socket', '_socket', 'ssl', '_ssl', 'socketserver', 'http', 'urllib', 'requests', 'aiohttp', 'httpx',
  'asyncio', 'webbrowser', 'smtplib', 'imaplib', 'ftplib', 'poplib', 'telnetlib', 'nntplib', 'xmlrpc',
  'select', 'selectors',
  // ML libraries' loaders, compilers and executors
  'torch.hub', 'torch._dynamo', 'torch._inductor', 'torch.jit', 'torch.utils.cpp_extension',
  'torch.utils.collect_env', 'torch.utils.bottleneck', 'torch.utils._config_module', 'torch.distributed.rpc',
  'torch.testing', 'numpy.f2py', 'numpy.distutils', 'numpy.testing', 'numpy.ctypeslib', 'mlflow.projects',
  'keras.config', 'keras.src.saving.serialization_lib',
];

/** Single callables of otherwise harmless modules. */
export const DENY_NAMES: Readonly<Record<string, readonly string[]>> = {
  builtins: ['eval', 'exec', 'execfile', 'compile', 'open', 'file', 'input', 'raw_input', 'getattr', 'setattr', 'delattr',
    '__import__', 'breakpoint', 'help', 'exit', 'quit', 'apply', 'reload', 'globals', 'locals', 'vars', 'memoryview'],
  operator: ['attrgetter', 'itemgetter', 'methodcaller'],
  _operator: ['attrgetter', 'itemgetter', 'methodcaller'],
  functools: ['partial', 'partialmethod', 'reduce'],
  _functools: ['partial', 'reduce'],
  types: ['CodeType', 'FunctionType', 'LambdaType', 'MethodType', 'ModuleType', 'BuiltinFunctionType', 'BuiltinMethodType'],
  copyreg: ['add_extension', 'remove_extension', 'clear_extension_cache'],
  io: ['open', 'open_code', 'FileIO'],
  _io: ['open', 'open_code', 'FileIO'],
  uuid: ['_get_command_stdout', '_popen', '_run*'],
  pathlib: ['Path.write_*', 'Path.unlink', 'Path.rmdir', 'Path.chmod', 'Path.rename', 'Path.replace', 'Path.touch',
    'PosixPath.write_*', 'WindowsPath.write_*'],
  torch: ['load', 'compile', 'hub'],
  'torch.serialization': ['load', '_load'],
  'torch.fx.experimental.symbolic_shapes': ['ShapeEnv.evaluate_guards_expression'],
  'torch.utils.data.datapipes.utils.decoder': ['basichandlers'],
  'torch.distributed.elastic.rendezvous.api': ['basichandlers'],
  numpy: ['load', 'loadtxt', 'fromfile', 'genfromtxt', 'save', 'savez', 'savetxt', 'memmap'],
  'numpy.lib.npyio': ['load', 'loadtxt', 'genfromtxt'],
  joblib: ['load', 'dump'],
  'joblib.numpy_pickle': ['load', 'dump'],
  pandas: ['read_*', 'eval'],
  'pandas.io.pickle': ['read_pickle'],
  'pandas.core.computation.eval': ['eval'],
  yaml: ['load', 'unsafe_load', 'full_load', 'load_all'],
};

/** Scanners' own modules: a pickle that reaches into them is tampering with the scan. */
export const SCANNER_MODULES: readonly string[] = ['picklescan', 'modelscan', 'fickling', 'modelaudit', 'model_unpickler', 'saferpickle', 'palisade'];

/**
 * The weights-only allow-list: what torch.load(weights_only=True), numpy object arrays and plain
 * containers use. Anything else is "suspicious" (verdict policy).
 */
export const ALLOW_GLOBALS: Readonly<Record<string, readonly string[]>> = {
  collections: ['OrderedDict', 'defaultdict'],
  builtins: ['set', 'frozenset', 'complex', 'bytearray', 'bytes', 'slice', 'range', 'list', 'dict', 'tuple', 'int',
    'float', 'str', 'bool', 'object'],
  copyreg: ['_reconstructor'],
  _codecs: ['encode'],
  datetime: ['datetime', 'date', 'time', 'timedelta', 'timezone'],
  argparse: ['Namespace'],
  torch: ['Size', 'device', 'Tensor', 'dtype', 'layout', 'memory_format', 'strided', 'sparse_coo', 'sparse_csr', 'contiguous_format', 'channels_last', 'preserve_format',
    'FloatStorage', 'DoubleStorage', 'HalfStorage', 'BFloat16Storage', 'LongStorage', 'IntStorage', 'ShortStorage',
    'CharStorage', 'ByteStorage', 'BoolStorage', 'ComplexFloatStorage', 'ComplexDoubleStorage', 'QUInt8Storage',
    'QInt8Storage', 'QInt32Storage', 'QUInt4x2Storage', 'QUInt2x4Storage', 'UntypedStorage', 'TypedStorage',
    'float32', 'float', 'float64', 'double', 'float16', 'half', 'bfloat16', 'int64', 'long', 'int32', 'int', 'int16',
    'short', 'int8', 'uint8', 'bool', 'complex64', 'complex128', 'cfloat', 'cdouble', 'float8_e4m3fn', 'float8_e5m2',
    'qint8', 'quint8', 'qint32', 'per_tensor_affine', 'per_channel_affine'],
  'torch._utils': ['_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter',
    '_rebuild_parameter_with_state', '_rebuild_qtensor', '_rebuild_sparse_tensor', '_rebuild_nested_tensor',
    '_rebuild_wrapper_subclass', '_rebuild_meta_tensor_no_storage', '_rebuild_device_tensor_from_numpy'],
  'torch._tensor': ['_rebuild_from_type_v2'],
  'torch.nn.parameter': ['Parameter'],
  'torch.serialization': ['_get_layout'],
  'torch.storage': ['UntypedStorage', 'TypedStorage'],
  numpy: ['ndarray', 'dtype', 'float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
    'uint32', 'uint64', 'bool_', 'complex64', 'complex128'],
  'numpy.core.multiarray': ['_reconstruct', 'scalar'],
  'numpy._core.multiarray': ['_reconstruct', 'scalar'],
  'numpy.dtypes': ['*'],
};

/**
 * Callables that unpickle bytes they are given: the bytes are scanned as a nested pickle and
 * judged like the outer one (its verdict is the outer file's too).
 */
export const NESTED_LOADERS: readonly string[] = [
  'pickle.loads', '_pickle.loads', 'dill.loads', 'cloudpickle.loads', 'torch.load', 'torch.serialization.load',
  'torch.storage._load_from_bytes', 'numpy.loads', 'joblib.load',
];

/** Conditions on the arguments of allow-listed callables (checked at REDUCE). */
export const ARGUMENT_CONDITIONS: Readonly<Record<string, { condition: string; allowed: (args: readonly ArgumentView[]) => boolean }>> = {
  // Protocols 0-2 spell bytes as _codecs.encode(text, 'latin1'); any other codec computes strings.
  '_codecs.encode': { condition: "as encode(<text>, 'latin1')", allowed: (args) => args.length === 2 && args[0]?.kind === 'str' && args[1]?.kind === 'str' && args[1].text === 'latin1' },
};

/** What a condition sees of an argument: its kind and, for strings, the text. */
export interface ArgumentView {
  kind: string;
  text?: string;
}
