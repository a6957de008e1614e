"""The notebook inside the sandbox: Python source the WebAssembly interpreter runs as its main program.

It reads one cell at a time from its standard input and runs it like a notebook does: the printed output
(stdout and stderr together, in order), then the value of a last bare expression, then the traceback of
an error; each part cut at the output limit. The answer goes back on the interpreter's real standard output
as one frame: `<nonce> <length>\\n<JSON>`. The cell's own prints never reach that stream (sys.stdout is a
buffer while it runs); bytes it writes to the stream directly (os.write(1, …)) fall outside the frames and
the worker passes them on as more output. The nonce keeps such bytes from being taken for an answer by
accident; code in the sandbox could still read it and forge an answer, which would only change what that
same code reports: the worker believes nothing else a frame says.

Cells arrive as `<number> <length>\\n<UTF-8 code>` on its standard input, and each answer carries the
cell's number: the worker takes only the first answer with the number of the cell it is waiting for, so a
forged answer cannot put cells and answers out of step.
"""

from __future__ import annotations

from typing import Final

# The guest's argv after the driver: the nonce, then the output limit in characters.
DRIVER: Final = r'''
import ast, builtins, io, json, linecache, os, sys, traceback, types

_NONCE = sys.argv[1].encode("ascii")
_LIMIT = int(sys.argv[2])
sys.argv = [""]
sys.stdin = io.StringIO("")  # input() ends at once: nobody is there to type
os.chdir("/mnt/data")


def _write_all(data):
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]


def _send(payload):
    data = json.dumps(payload).encode("ascii")
    _write_all(_NONCE + b" %d\n" % len(data) + data)


# Said when there is not even memory left to describe the error.
_OUT_OF_MEMORY = json.dumps(
    {"stdout": "", "result": None, "error": "MemoryError", "truncated": False, "memory": True, "cell": 0}
).encode("ascii").replace(b'"cell": 0', b'"cell": %d')


def _out_of_memory(number):
    """Formatting a few bytes is all it takes; everything else is made before memory runs out."""
    data = _OUT_OF_MEMORY % number
    return _NONCE + b" %d\n" % len(data) + data


def _read_exactly(size):
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _next_cell():
    """(number, code) of the next cell, None at the end."""
    header = b""
    while not header.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte:
            return None
        header += byte
    number, size = header.split()
    code = _read_exactly(int(size))
    return None if code is None else (int(number), code.decode("utf-8", "replace"))


class _Output(io.TextIOBase):
    """What the cell prints, kept up to the limit; the rest only counted."""

    def __init__(self):
        self.parts = []
        self.kept = 0
        self.truncated = False

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        room = _LIMIT - self.kept
        if len(text) > room:
            self.truncated = True
        if room > 0 and text:
            self.parts.append(text[:room])
            self.kept += min(len(text), room)
        return len(text)

    def value(self):
        return "".join(self.parts)


def _cut(text):
    return (text[:_LIMIT], True) if len(text) > _LIMIT else (text, False)


def _traceback(error, cell_name):
    """The traceback from the cell's first frame on: the driver's own frames are not the model's business."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != cell_name:
        tb = tb.tb_next
    if tb is None:
        lines = traceback.format_exception_only(type(error), error)
    else:
        lines = traceback.format_exception(type(error), error, tb)
    text = "".join(lines)
    if len(text) > _LIMIT:  # the end says what went wrong
        return "..." + text[-_LIMIT:], True
    return text, False


def _is_memory_error(error):
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, MemoryError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


_main = types.ModuleType("__main__")
_main.__dict__["__builtins__"] = builtins
sys.modules["__main__"] = _main  # `import __main__` and pickle see the notebook's own namespace
_namespace = _main.__dict__
_count = 0


def _run(code):
    global _count
    _count += 1
    name = "<cell %d>" % _count
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    output = _Output()
    result = error = None
    result_cut = error_cut = memory = False
    sys.stdout = sys.stderr = output
    try:
        tree = ast.parse(code, name, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, name, "exec"), _namespace)
        if last is not None:
            value = eval(compile(last, name, "eval"), _namespace)
            if value is not None:
                _namespace["_"] = value
                result, result_cut = _cut(repr(value))
    except BaseException as raised:  # SystemExit too: the notebook stays
        memory = _is_memory_error(raised)
        error, error_cut = _traceback(raised, name)
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return {
        "stdout": output.value(),
        "result": result,
        "error": error,
        "truncated": output.truncated or result_cut or error_cut,
        "memory": memory,
    }


_send({"ready": True})
while True:
    _cell = _next_cell()
    if _cell is None:
        break
    try:
        _answer = _run(_cell[1])
        _answer["cell"] = _cell[0]
        _send(_answer)
    except MemoryError:
        _write_all(_out_of_memory(_cell[0]))
    _cell = _answer = None
'''
