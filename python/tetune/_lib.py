"""Loading libtetune.so and declaring the C functions the bindings call.

The library is found through $TETUNE_LIB (a path), then next to this
package in a source checkout (../../build/libtetune.so), then the system's
library path (ctypes.util.find_library). Only functions the headers mark
TT_API are used: they are what libtetune.so exports."""
import ctypes
import ctypes.util
import os

_here = os.path.dirname(os.path.abspath(__file__))


def _find():
    cands = [os.environ.get("TETUNE_LIB"),
             os.path.join(_here, "..", "..", "build", "libtetune.so"),
             ctypes.util.find_library("tetune")]
    for c in cands:
        if c and (os.path.exists(c) or not os.path.dirname(c)):
            try:
                return ctypes.CDLL(c)
            except OSError:
                continue
    raise OSError("libtetune.so not found: build tetune (make) or set TETUNE_LIB")


lib = _find()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.free.argtypes = [ctypes.c_void_p]

c_char_p, c_void_p, c_size_t, c_int, c_double = (ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t,
                                                  ctypes.c_int, ctypes.c_double)
c_int64, c_uint64, c_uint32, POINTER = ctypes.c_int64, ctypes.c_uint64, ctypes.c_uint32, ctypes.POINTER


class Error(ctypes.Structure):
    """tt_error: a status and a one-line message."""
    _fields_ = [("status", c_int), ("msg", ctypes.c_char * 512)]


class Trial(ctypes.Structure):
    """tt_trial (the fields every schema version has, in order)."""
    _fields_ = [("id", c_int64), ("session_id", c_int64), ("task_id", c_int64), ("seq", c_int64),
                ("config", c_char_p), ("config_key", c_char_p), ("outcome", c_int),
                ("message", c_char_p), ("time_median_s", c_double), ("time_min_s", c_double),
                ("time_spread", c_double), ("repeats", c_int), ("max_rel_err", c_double),
                ("compile_s", c_double), ("gflops", c_double), ("strategy", c_char_p),
                ("started_at", c_double), ("finished_at", c_double)]


class SessionInfo(ctypes.Structure):
    """tt_session_info."""
    _fields_ = [("id", c_int64), ("task_id", c_int64), ("kernel", c_char_p), ("size", c_char_p),
                ("target", c_char_p), ("template_name", c_char_p), ("strategy", c_char_p),
                ("seed", c_uint64), ("trials_requested", c_int64), ("trials", c_int64),
                ("ok_trials", c_int64), ("started_at", c_double), ("ended_at", c_double),
                ("status", c_int), ("best_time_s", c_double), ("best_gflops", c_double),
                ("fingerprint", c_char_p), ("best_config", c_char_p)]


class SessionList(ctypes.Structure):
    _fields_ = [("items", POINTER(SessionInfo)), ("len", c_size_t)]


class ReplayMetrics(ctypes.Structure):
    """tt_replay_metrics."""
    _fields_ = [("score", c_double), ("best_mean", c_double), ("best_median", c_double),
                ("evals_to", c_double * 3), ("reached", c_int * 3), ("evals_all", c_double * 3),
                ("evals_all_lo", c_double * 3), ("evals_all_hi", c_double * 3)]


TRIAL_FN = ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(Trial))


def _declare(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype, f.argtypes = restype, list(argtypes)


for _name, _res, _args in [
    ("tt_version", c_char_p, []),
    ("tt_space_new", c_void_p, []),
    ("tt_space_free", None, [c_void_p]),
    ("tt_space_add_int", c_int, [c_void_p, c_char_p, c_int64, c_int64, c_int64, POINTER(Error)]),
    ("tt_space_add_ordinal", c_int, [c_void_p, c_char_p, POINTER(c_double), c_size_t, POINTER(Error)]),
    ("tt_space_add_categorical", c_int, [c_void_p, c_char_p, POINTER(c_char_p), c_size_t, POINTER(Error)]),
    ("tt_space_add_bool", c_int, [c_void_p, c_char_p, POINTER(Error)]),
    ("tt_space_add_constraint", c_int, [c_void_p, c_char_p, POINTER(Error)]),
    ("tt_space_num_knobs", c_size_t, [c_void_p]),
    ("tt_space_knob_name", c_char_p, [c_void_p, c_size_t]),
    ("tt_space_valid_size", c_double, [c_void_p, POINTER(c_int)]),
    ("tt_space_is_valid", c_int, [c_void_p, POINTER(c_uint32)]),
    ("tt_space_config_to_json", c_void_p, [c_void_p, POINTER(c_uint32)]),
    ("tt_space_config_from_json", c_int, [c_void_p, c_char_p, c_void_p, POINTER(c_uint32), POINTER(Error)]),
    ("tt_strategy_new", c_void_p, [c_char_p, c_void_p, c_uint64, c_char_p, POINTER(Error)]),
    ("tt_strategy_free", None, [c_void_p]),
    ("tt_strategy_ask", c_size_t, [c_void_p, c_size_t, POINTER(c_uint32)]),
    ("tt_strategy_tell", None, [c_void_p, POINTER(c_uint32), c_int, c_double]),
    ("tt_strategy_set_budget", None, [c_void_p, c_size_t]),
    ("tt_strategy_names", POINTER(c_char_p), []),
    ("tt_objective_open", c_void_p, [c_char_p, c_void_p, POINTER(Error)]),
    ("tt_objective_free", None, [c_void_p]),
    ("tt_objective_optimum", c_double, [c_void_p]),
    ("tt_objective_values", POINTER(c_double), [c_void_p, POINTER(c_size_t)]),
    ("tt_replay_run", c_int, [c_void_p, c_char_p, c_char_p, c_size_t, c_size_t, POINTER(c_double), POINTER(Error)]),
    ("tt_replay_random_curve", None, [POINTER(c_double), c_size_t, c_size_t, POINTER(c_double)]),
    ("tt_replay_compute_metrics", None, [POINTER(c_double), c_size_t, c_size_t, c_double,
                                          POINTER(c_double), POINTER(ReplayMetrics)]),
    ("tt_store_open", c_void_p, [c_char_p, c_int, POINTER(Error)]),
    ("tt_store_close", None, [c_void_p]),
    ("tt_store_list_sessions", c_int, [c_void_p, c_char_p, POINTER(SessionList), POINTER(Error)]),
    ("tt_session_list_free", None, [POINTER(SessionList)]),
    ("tt_store_each_trial", c_int, [c_void_p, c_int64, TRIAL_FN, c_void_p, POINTER(Error)]),
    ("tt_outcome_name", c_char_p, [c_int]),
]:
    _declare(_name, _res, *_args)


def check(status, err):
    """Raises TetuneError with the library's message unless status is TT_OK."""
    if status:
        raise TetuneError(err.msg.decode(errors="replace"), status)


class TetuneError(Exception):
    """An error the C library reported: .status is tt_status (1: bad input)."""

    def __init__(self, msg, status):
        super().__init__(msg)
        self.status = status


def take_string(ptr):
    """A malloc'ed C string as str, freed."""
    if not ptr:
        return None
    s = ctypes.cast(ptr, c_char_p).value.decode()
    libc.free(ptr)
    return s
