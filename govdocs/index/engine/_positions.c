/* The positions of many occurrence values, decoded in C (`occurrences.positions_in`).

   A value (occurrences.py) is a run of code points in UTF-8: n, span, then (position delta,
   gap delta) n times, ... A phrase reads the positions of thousands of values at a time; the
   NumPy route makes a dozen passes over all their bytes (~33 ns a position at 1 GB), this one
   walks each value once. Same results: the tests compare the two.

   decode(file, starts, ends, head) -> (counts, positions)
     file:   the occurrence file (any buffer of bytes)
     starts, ends: int64 buffers, where each value starts and ends in the file
     head:   -1 for every position; else each value's first places, as many as its first
             4 + 4 * head bytes hold (cut where a character starts), head at most
     returns two bytearrays of native int64: each value's count, then all positions, value by
     value; None if a value is raw (0, 1, ...: the caller decodes those the NumPy way). Raises
     ValueError for a value that runs past its end or the file, or claims more places than its
     bytes hold: a damaged index. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define RAW 1

/* the code point at *i (not past `stop`), *i moved past it; -1 if it runs past `stop` */
static inline int64_t next_point(const uint8_t *b, Py_ssize_t *i, Py_ssize_t stop) {
    Py_ssize_t at = *i;
    if (at >= stop) return -1;
    uint8_t c = b[at];
    if (c < 0x80) { *i = at + 1; return c; }
    if (c < 0xE0) {
        if (at + 2 > stop) return -1;
        *i = at + 2;
        return ((int64_t)(c & 0x1F) << 6) | (b[at + 1] & 0x3F);
    }
    if (c < 0xF0) {
        if (at + 3 > stop) return -1;
        *i = at + 3;
        return ((int64_t)(c & 0x0F) << 12) | ((int64_t)(b[at + 1] & 0x3F) << 6) | (b[at + 2] & 0x3F);
    }
    if (at + 4 > stop) return -1;
    *i = at + 4;
    return ((int64_t)(c & 0x07) << 18) | ((int64_t)(b[at + 1] & 0x3F) << 12)
           | ((int64_t)(b[at + 2] & 0x3F) << 6) | (b[at + 3] & 0x3F);
}

/* a value's n and span read from *i (moved past them): 0, or -1 for a value cut short (n
   pairs need 2n bytes at least), -2 for a raw one */
static int value_head(const uint8_t *b, Py_ssize_t *i, Py_ssize_t stop, int64_t *n, int64_t *span) {
    *n = next_point(b, i, stop);
    *span = next_point(b, i, stop);
    if (*n == 0 && *span == RAW) return -2;
    if (*n < 0 || *span < 0 || *n > (stop - *i) / 2) return -1;
    return 0;
}

/* how many (position, gap) pairs value [start, end) gives: all n, or its head's; -1 for a
   value cut short, -2 for a raw one */
static int64_t pairs_of(const uint8_t *b, Py_ssize_t size, Py_ssize_t start, Py_ssize_t end, int64_t head) {
    Py_ssize_t i = start;
    int64_t n, span;
    int status = value_head(b, &i, end, &n, &span);
    if (status < 0) return status;
    if (head < 0) return n;
    Py_ssize_t cut = head >= (end - start) / 4 ? end : start + 4 + 4 * head;  /* never past `end`, no overflow */
    if (cut > end) cut = end;
    for (int k = 0; k < 3 && cut > start && cut < size && (b[cut] & 0xC0) == 0x80; k++) cut--;
    int64_t points = 0;
    for (Py_ssize_t j = start; j < cut; j++) points += (b[j] & 0xC0) != 0x80;
    int64_t fit = (points - 2) / 2;
    if (fit < 0) fit = 0;
    if (fit < n) n = fit;
    return n < head ? n : head;
}

static PyObject *decode(PyObject *self, PyObject *args) {
    Py_buffer file, starts, ends;
    long long head;
    if (!PyArg_ParseTuple(args, "y*y*y*L", &file, &starts, &ends, &head)) return NULL;
    PyObject *counts = NULL, *positions = NULL, *out = NULL;
    Py_ssize_t m = starts.len / (Py_ssize_t)sizeof(int64_t);
    if (ends.len != starts.len || starts.len % (Py_ssize_t)sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "starts and ends must be int64 arrays of one length");
        goto done;
    }
    const uint8_t *b = file.buf;
    const int64_t *s = starts.buf, *e = ends.buf;
    counts = PyByteArray_FromStringAndSize(NULL, m * (Py_ssize_t)sizeof(int64_t));
    if (counts == NULL) goto done;
    int64_t *c = (int64_t *)PyByteArray_AS_STRING(counts);
    int64_t total = 0;
    for (Py_ssize_t k = 0; k < m; k++) {
        if (s[k] < 0 || e[k] > file.len || s[k] > e[k]) {
            PyErr_Format(PyExc_ValueError, "value %zd lies outside the file", k);
            goto done;
        }
        int64_t n = pairs_of(b, file.len, s[k], e[k], head);
        if (n == -2) {  /* a raw value: the caller reads these the NumPy way */
            out = Py_NewRef(Py_None);
            goto done;
        }
        if (n < 0) {
            PyErr_Format(PyExc_ValueError, "value %zd is cut short", k);
            goto done;
        }
        c[k] = n;
        total += n;
        if (total > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(int64_t)) {
            PyErr_SetString(PyExc_ValueError, "more positions than memory holds");
            goto done;
        }
    }
    positions = PyByteArray_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(int64_t));
    if (positions == NULL) goto done;
    int64_t *p = (int64_t *)PyByteArray_AS_STRING(positions);
    for (Py_ssize_t k = 0; k < m; k++) {
        Py_ssize_t i = s[k];
        next_point(b, &i, e[k]);
        next_point(b, &i, e[k]);
        int64_t at = 0;
        for (int64_t j = 0; j < c[k]; j++) {
            int64_t delta = next_point(b, &i, e[k]);
            if (delta < 0 || next_point(b, &i, e[k]) < 0) {
                PyErr_Format(PyExc_ValueError, "value %zd is cut short", k);
                goto done;
            }
            at += delta;
            *p++ = at;
        }
    }
    out = PyTuple_Pack(2, counts, positions);
done:
    Py_XDECREF(counts);
    Py_XDECREF(positions);
    PyBuffer_Release(&file);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&ends);
    return out;
}

/* occurrences(value) -> the value's positions, start and end characters, n each, as one
   bytearray of native uint32 (a hit's marks read them); None for a raw value, ValueError for
   a damaged one */
static PyObject *occurrences(PyObject *self, PyObject *args) {
    Py_buffer value;
    if (!PyArg_ParseTuple(args, "y*", &value)) return NULL;
    PyObject *out = NULL;
    const uint8_t *b = value.buf;
    Py_ssize_t i = 0, stop = value.len;
    int64_t n, span;
    int status = value_head(b, &i, stop, &n, &span);
    if (status == -2) {  /* read the Python way */
        out = Py_NewRef(Py_None);
        goto done;
    }
    if (status < 0) {
        PyErr_SetString(PyExc_ValueError, "a value cut short");
        goto done;
    }
    out = PyByteArray_FromStringAndSize(NULL, 3 * n * (Py_ssize_t)sizeof(uint32_t));
    if (out == NULL) goto done;
    uint32_t *positions = (uint32_t *)PyByteArray_AS_STRING(out), *starts = positions + n, *ends = starts + n;
    int64_t at = 0, gap = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t delta = next_point(b, &i, stop), gap_delta = next_point(b, &i, stop);
        if (delta < 0 || gap_delta < 0) goto cut_short;
        at += delta;
        gap += gap_delta;
        positions[k] = (uint32_t)at;
        starts[k] = (uint32_t)(at + gap);
    }
    for (int64_t k = 0; k < n; k++) {
        int64_t width = span ? span : next_point(b, &i, stop);
        if (width < 0) goto cut_short;
        ends[k] = (uint32_t)(starts[k] + width);
    }
    goto done;
cut_short:
    Py_CLEAR(out);
    PyErr_SetString(PyExc_ValueError, "a value cut short");
done:
    PyBuffer_Release(&value);
    return out;
}

/* the first index of keys[lo, hi) not below `key` */
static Py_ssize_t lower_bound(const int64_t *keys, Py_ssize_t lo, Py_ssize_t hi, int64_t key) {
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* having(file, starts, ends, labels, keys, shift, head, marks) -> None, or False for a raw
   value (the caller reads the values the NumPy way)

   A phrase's word checked against the keys found so far (`postings.Postings.having`): for
   value k, whose document is labels[k], every position p of it (its head's, as decode() reads
   them, with head 0 or more) makes the key (labels[k] << 32) + p - shift; marks[j] is set to
   1 where keys[j] is one of them. keys ascend; so do labels. Only the document's keys are
   looked at, and a value is decoded only up to its document's last key: a common word is
   read no further than the phrase could stand. What it reads raises decode()'s errors (a
   value damaged past its document's last key is not read, so not reported). */
static PyObject *having(PyObject *self, PyObject *args) {
    Py_buffer file, starts, ends, labels, keys, marks;
    long long shift, head;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*LLw*", &file, &starts, &ends, &labels, &keys, &shift, &head, &marks))
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t m = starts.len / (Py_ssize_t)sizeof(int64_t), nkeys = keys.len / (Py_ssize_t)sizeof(int64_t);
    if (ends.len != starts.len || labels.len != starts.len || starts.len % (Py_ssize_t)sizeof(int64_t)
        || keys.len % (Py_ssize_t)sizeof(int64_t) || marks.len != nkeys) {
        PyErr_SetString(PyExc_ValueError, "starts, ends and labels must be int64 arrays of one length, marks one byte a key");
        goto done;
    }
    const uint8_t *b = file.buf;
    const int64_t *s = starts.buf, *e = ends.buf, *label = labels.buf, *key = keys.buf;
    uint8_t *mark = marks.buf;
    Py_ssize_t j = 0;
    for (Py_ssize_t k = 0; k < m; k++) {
        if (s[k] < 0 || e[k] > file.len || s[k] > e[k]) {
            PyErr_Format(PyExc_ValueError, "value %zd lies outside the file", k);
            goto done;
        }
        if (label[k] < 0 || label[k] >= ((int64_t)1 << 31)) {
            PyErr_Format(PyExc_ValueError, "label %zd is out of range", k);
            goto done;
        }
        int64_t lo = label[k] << 32, hi = (label[k] + 1) << 32;
        j = lower_bound(key, j > 0 && key[j - 1] >= lo ? 0 : j, nkeys, lo);
        Py_ssize_t last = lower_bound(key, j, nkeys, hi);
        if (j == last) continue;  /* no key left in this document */
        int64_t n = pairs_of(b, file.len, s[k], e[k], head), span;
        if (n == -2) {
            out = Py_NewRef(Py_False);
            goto done;
        }
        if (n < 0) {
            PyErr_Format(PyExc_ValueError, "value %zd is cut short", k);
            goto done;
        }
        Py_ssize_t i = s[k];
        int64_t whole;
        value_head(b, &i, e[k], &whole, &span);  /* read by pairs_of: past n and span */
        int64_t at = 0;
        for (int64_t q = 0; q < n && j < last; q++) {
            int64_t delta = next_point(b, &i, e[k]);
            if (delta < 0 || next_point(b, &i, e[k]) < 0) {
                PyErr_Format(PyExc_ValueError, "value %zd is cut short", k);
                goto done;
            }
            at += delta;
            int64_t wanted = lo + at - shift;
            while (j < last && key[j] < wanted) j++;
            if (j < last && key[j] == wanted) mark[j] = 1;
        }
        j = last;
    }
    out = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&file);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&ends);
    PyBuffer_Release(&labels);
    PyBuffer_Release(&keys);
    PyBuffer_Release(&marks);
    return out;
}

static PyMethodDef methods[] = {
    {"decode", decode, METH_VARARGS, "(counts, positions) of many occurrence values: see the module's source."},
    {"having", having, METH_VARARGS, "Marks the keys a phrase's word has: see the module's source."},
    {"occurrences", occurrences, METH_VARARGS, "One value's positions, starts and ends: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_positions", "Occurrence positions decoded in C.", -1, methods};

PyMODINIT_FUNC PyInit__positions(void) { return PyModule_Create(&module); }
