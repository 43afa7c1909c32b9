/**
 * The Python 2 -> 3 renames that CPython's unpickler applies before importing (`fix_imports=True`,
 * the default, for pickles whose PROTO is below 3 or absent): a pickle that names `__builtin__.eval`
 * or `SimpleHTTPServer` imports `builtins.eval` or `http.server`, and is judged as what it imports.
 *
 * Source: CPython Lib/_compat_pickle.py (IMPORT_MAPPING and NAME_MAPPING, including the
 * "non-mutual" additions and the generated `exceptions.*` / `multiprocessing.*` entries), as read by
 * Lib/pickle.py `Unpickler.find_class` and Modules/_pickle.c `_pickle_Unpickler_find_class_impl`:
 * NAME_MAPPING is tried first, then IMPORT_MAPPING on the module alone.
 */
export const IMPORT_MAPPING: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  Queue: 'queue',
  SocketServer: 'socketserver',
  ConfigParser: 'configparser',
  repr: 'reprlib',
  tkFileDialog: 'tkinter.filedialog',
  tkSimpleDialog: 'tkinter.simpledialog',
  tkColorChooser: 'tkinter.colorchooser',
  tkCommonDialog: 'tkinter.commondialog',
  Dialog: 'tkinter.dialog',
  Tkdnd: 'tkinter.dnd',
  tkFont: 'tkinter.font',
  tkMessageBox: 'tkinter.messagebox',
  ScrolledText: 'tkinter.scrolledtext',
  Tkconstants: 'tkinter.constants',
  Tix: 'tkinter.tix',
  ttk: 'tkinter.ttk',
  Tkinter: 'tkinter',
  markupbase: '_markupbase',
  _winreg: 'winreg',
  thread: '_thread',
  dummy_thread: '_dummy_thread',
  dbhash: 'dbm.bsd',
  dumbdbm: 'dbm.dumb',
  dbm: 'dbm.ndbm',
  gdbm: 'dbm.gnu',
  xmlrpclib: 'xmlrpc.client',
  SimpleXMLRPCServer: 'xmlrpc.server',
  httplib: 'http.client',
  htmlentitydefs: 'html.entities',
  HTMLParser: 'html.parser',
  Cookie: 'http.cookies',
  cookielib: 'http.cookiejar',
  BaseHTTPServer: 'http.server',
  'test.test_support': 'test.support',
  commands: 'subprocess',
  urlparse: 'urllib.parse',
  robotparser: 'urllib.robotparser',
  urllib2: 'urllib.request',
  anydbm: 'dbm',
  _abcoll: 'collections.abc',
  // non-mutual additions
  cPickle: 'pickle',
  _elementtree: 'xml.etree.ElementTree',
  FileDialog: 'tkinter.filedialog',
  SimpleDialog: 'tkinter.simpledialog',
  DocXMLRPCServer: 'xmlrpc.server',
  SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  UserDict: 'collections',
  UserList: 'collections',
  UserString: 'collections',
  whichdb: 'dbm',
  StringIO: 'io',
  cStringIO: 'io',
};

const PYTHON2_EXCEPTIONS = [
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BufferError', 'BytesWarning',
  'DeprecationWarning', 'EOFError', 'EnvironmentError', 'Exception', 'FloatingPointError', 'FutureWarning',
  'GeneratorExit', 'IOError', 'ImportError', 'ImportWarning', 'IndentationError', 'IndexError', 'KeyError',
  'KeyboardInterrupt', 'LookupError', 'MemoryError', 'NameError', 'NotImplementedError', 'OSError',
  'OverflowError', 'PendingDeprecationWarning', 'ReferenceError', 'RuntimeError', 'RuntimeWarning',
  'StopIteration', 'SyntaxError', 'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TargetScopeError',
  'TypeError', 'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError',
  'UnicodeTranslateError', 'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning', 'ZeroDivisionError',
  // added on Windows builds only; listed so a Windows loader's view is covered too
  'WindowsError',
];

const MULTIPROCESSING_EXCEPTIONS = ['AuthenticationError', 'BufferTooShort', 'ProcessError', 'TimeoutError'];

/** `module name` -> [module, name]. */
export const NAME_MAPPING: ReadonlyMap<string, readonly [string, string]> = new Map<string, readonly [string, string]>([
  ['__builtin__ xrange', ['builtins', 'range']],
  ['__builtin__ reduce', ['functools', 'reduce']],
  ['__builtin__ intern', ['sys', 'intern']],
  ['__builtin__ unichr', ['builtins', 'chr']],
  ['__builtin__ unicode', ['builtins', 'str']],
  ['__builtin__ long', ['builtins', 'int']],
  ['itertools izip', ['builtins', 'zip']],
  ['itertools imap', ['builtins', 'map']],
  ['itertools ifilter', ['builtins', 'filter']],
  ['itertools ifilterfalse', ['itertools', 'filterfalse']],
  ['itertools izip_longest', ['itertools', 'zip_longest']],
  ['UserDict IterableUserDict', ['collections', 'UserDict']],
  ['UserList UserList', ['collections', 'UserList']],
  ['UserString UserString', ['collections', 'UserString']],
  ['whichdb whichdb', ['dbm', 'whichdb']],
  ['_socket fromfd', ['socket', 'fromfd']],
  ['_multiprocessing Connection', ['multiprocessing.connection', 'Connection']],
  ['multiprocessing.process Process', ['multiprocessing.context', 'Process']],
  ['multiprocessing.forking Popen', ['multiprocessing.popen_fork', 'Popen']],
  ['urllib ContentTooShortError', ['urllib.error', 'ContentTooShortError']],
  ['urllib getproxies', ['urllib.request', 'getproxies']],
  ['urllib pathname2url', ['urllib.request', 'pathname2url']],
  ['urllib quote_plus', ['urllib.parse', 'quote_plus']],
  ['urllib quote', ['urllib.parse', 'quote']],
  ['urllib unquote_plus', ['urllib.parse', 'unquote_plus']],
  ['urllib unquote', ['urllib.parse', 'unquote']],
  ['urllib url2pathname', ['urllib.request', 'url2pathname']],
  ['urllib urlcleanup', ['urllib.request', 'urlcleanup']],
  ['urllib urlencode', ['urllib.parse', 'urlencode']],
  ['urllib urlopen', ['urllib.request', 'urlopen']],
  ['urllib urlretrieve', ['urllib.request', 'urlretrieve']],
  ['urllib2 HTTPError', ['urllib.error', 'HTTPError']],
  ['urllib2 URLError', ['urllib.error', 'URLError']],
  ...PYTHON2_EXCEPTIONS.map((e): [string, readonly [string, string]] => [`exceptions ${e}`, ['builtins', e]]),
  ...MULTIPROCESSING_EXCEPTIONS.map((e): [string, readonly [string, string]] => [`multiprocessing ${e}`, ['multiprocessing.context', e]]),
  // non-mutual additions
  ['__builtin__ basestring', ['builtins', 'str']],
  ['exceptions StandardError', ['builtins', 'Exception']],
  ['UserDict UserDict', ['collections', 'UserDict']],
  ['socket _socketobject', ['socket', 'SocketType']],
]);

/** What `find_class(module, name)` imports when fix_imports applies (protocol < 3). */
export function fixImports(module: string, name: string): readonly [string, string] {
  const renamed = NAME_MAPPING.get(`${module} ${name}`);
  if (renamed) return renamed;
  const moved = IMPORT_MAPPING[module];
  return moved !== undefined && Object.prototype.hasOwnProperty.call(IMPORT_MAPPING, module) ? [moved, name] : [module, name];
}
