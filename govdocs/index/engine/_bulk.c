/* The bulk writer's work per posting, in C (`bulk.BulkWriter`, `blocks.TermWriter`).

   A segment's text fields hold a million postings per 20 MB of text. Filing each posting in
   its term's list, then writing the lists W3's way, took a dozen Python operations a posting
   (a tuple, slices, a dict look-up of its field length, the block's deltas, widths and
   arrays, its value's size and offset). These two functions do that work in one walk each;
   the per-block and per-term bookkeeping (W3's term info, the pickled block info) stays in
   Python. Same bytes: the tests compare them with the Python route and with Whoosh's writer.

   file_postings(terms, keys, weights, values, docnum) -> None
     appends (docnum, weight, value) to terms[key] for each key (a new list for a new key):
     what `BulkWriter._file_postings` did with map(list.extend, ...) and a tuple a posting.
     terms is a dict (not a subclass), keys, weights and values lists of one length.

   ool_blocks(postings, lengths, limit, base) -> (values, blocks)
     postings: a term's postings, flat: [document number, weight, value (bytes), ...], the
               numbers ascending
     lengths:  int64 buffer, each document's quantised field length (0: none)
     limit:    postings per block
     base:     where the term's first value will stand in the occurrence file
     returns   the term's values joined, and per block (postings, first and last document
               number, greatest weight (a float, 0 at least), least and greatest field length
               (None and 0 when no document has one), the weights as float32 bytes, the block's
               data as `codec.ool_block_data` packs it).
     Raises ValueError for document numbers that do not ascend or lie outside `lengths`,
     OverflowError for a document number, gap or value size from 2**32 on, TypeError for a
     value not bytes or a number not an int. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define WIDE_BASE 0x40
#define FLOAT_WIDTH 3

static int width_of(uint64_t most) { return most <= 0xFF ? 0 : most <= 0xFFFF ? 1 : 2; }

static char *put_le(char *o, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) *o++ = (char)((v >> (8 * i)) & 0xFF);
    return o;
}

static const int BYTES[] = {1, 2, 4, 4};

/* one block: postings [a, b) of ids/weights/sizes; its tuple, or NULL with an exception */
static PyObject *block(const int64_t *ids, const double *weights, const int64_t *sizes, const int64_t *lengths,
                       Py_ssize_t a, Py_ssize_t b, uint64_t base) {
    Py_ssize_t n = b - a;
    uint64_t most_delta = 0, most_count = 0, most_size = 0;
    int integral = 1;
    double maxweight = 0.0;
    int64_t minlength = 0, maxlength = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        if (i > a) {
            uint64_t d = (uint64_t)(ids[i] - ids[i - 1]);
            if (d > most_delta) most_delta = d;
        }
        double w = weights[i];
        if (i == a || w > maxweight) maxweight = w;
        if (integral && w >= 0 && w <= 4294967295.0 && w == (double)(int64_t)w) {
            if ((uint64_t)w > most_count) most_count = (uint64_t)w;
        } else {
            integral = 0;
        }
        if ((uint64_t)sizes[i] > most_size) most_size = (uint64_t)sizes[i];
        int64_t len = lengths[ids[i]];
        if (len) {
            if (!minlength || len < minlength) minlength = len;
            if (len > maxlength) maxlength = len;
        }
    }
    if (maxweight < 0) maxweight = 0.0;
    if (ids[a] > 0xFFFFFFFFLL || most_delta > 0xFFFFFFFFULL || most_size > 0xFFFFFFFFULL) {
        PyErr_SetString(PyExc_OverflowError, "a document number, gap or value size from 2**32 on");
        return NULL;
    }
    int iw = width_of(most_delta), ww = integral ? width_of(most_count) : FLOAT_WIDTH, sw = width_of(most_size);
    int wide = base > 0xFFFFFFFFULL;
    Py_ssize_t size = 1 + 4 + (wide ? 8 : 4) + (n - 1) * BYTES[iw] + n * BYTES[ww] + n * BYTES[sw];
    PyObject *data = PyBytes_FromStringAndSize(NULL, size), *floats = PyBytes_FromStringAndSize(NULL, n * 4);
    if (data == NULL || floats == NULL) {
        Py_XDECREF(data);
        Py_XDECREF(floats);
        return NULL;
    }
    char *o = PyBytes_AS_STRING(data);
    *o++ = (char)(iw | ww << 2 | sw << 4 | (wide ? WIDE_BASE : 0));
    o = put_le(o, (uint64_t)ids[a], 4);
    o = put_le(o, base, wide ? 8 : 4);
    for (Py_ssize_t i = a + 1; i < b; i++) o = put_le(o, (uint64_t)(ids[i] - ids[i - 1]), BYTES[iw]);
    char *f = PyBytes_AS_STRING(floats);
    for (Py_ssize_t i = a; i < b; i++) {
        float single = (float)weights[i];
        memcpy(f + 4 * (i - a), &single, 4);  /* native float32: array("f")'s bytes */
        if (ww == FLOAT_WIDTH) {
            uint32_t bits;
            memcpy(&bits, &single, 4);
            o = put_le(o, bits, 4);
        } else {
            o = put_le(o, (uint64_t)weights[i], BYTES[ww]);
        }
    }
    for (Py_ssize_t i = a; i < b; i++) o = put_le(o, (uint64_t)sizes[i], BYTES[sw]);
    PyObject *least = minlength ? PyLong_FromLongLong(minlength) : Py_NewRef(Py_None);
    if (least == NULL) {
        Py_DECREF(data);
        Py_DECREF(floats);
        return NULL;
    }
    return Py_BuildValue("(nLLdNLNN)", n, (long long)ids[a], (long long)ids[b - 1], maxweight, least,
                         (long long)maxlength, floats, data);
}

static PyObject *ool_blocks(PyObject *self, PyObject *args) {
    PyObject *postings;
    Py_buffer lengths_buf;
    Py_ssize_t limit;
    unsigned long long base;
    if (!PyArg_ParseTuple(args, "O!y*nK:ool_blocks", &PyList_Type, &postings, &lengths_buf, &limit, &base))
        return NULL;
    PyObject *out = NULL, *values = NULL, *blocks = NULL;
    int64_t *ids = NULL, *sizes = NULL;
    double *weights = NULL;
    Py_ssize_t items = PyList_GET_SIZE(postings), n = items / 3;
    if (items % 3 || limit < 1 || lengths_buf.len % 8) {
        PyErr_SetString(PyExc_ValueError, "postings come in threes, a block holds one at least, lengths are int64");
        goto done;
    }
    const int64_t *lengths = lengths_buf.buf;
    Py_ssize_t n_lengths = lengths_buf.len / 8;
    ids = PyMem_Malloc((n ? n : 1) * sizeof(int64_t));
    sizes = PyMem_Malloc((n ? n : 1) * sizeof(int64_t));
    weights = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (!ids || !sizes || !weights) { PyErr_NoMemory(); goto done; }
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(postings, 3 * i + 2);
        if (!PyBytes_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "a posting's value must be bytes");
            goto done;
        }
        /* exact ints and floats only: nothing here may run Python code (a __float__ or
           __index__ could change the list under us) */
        PyObject *number = PyList_GET_ITEM(postings, 3 * i), *weight = PyList_GET_ITEM(postings, 3 * i + 1);
        if (!PyLong_Check(number) || !(PyFloat_Check(weight) || PyLong_Check(weight))) {
            PyErr_SetString(PyExc_TypeError, "a posting's document number must be an int, its weight a number");
            goto done;
        }
        long long id = PyLong_AsLongLong(number);
        if (id == -1 && PyErr_Occurred()) goto done;
        double w = PyFloat_AsDouble(weight);
        if (w == -1.0 && PyErr_Occurred()) goto done;
        if (id < 0 || id >= n_lengths || (i && id <= ids[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "document numbers must ascend, each with a length");
            goto done;
        }
        ids[i] = id;
        weights[i] = w;
        sizes[i] = PyBytes_GET_SIZE(value);
        total += sizes[i];
    }
    values = PyBytes_FromStringAndSize(NULL, total);
    blocks = PyList_New(0);
    if (values == NULL || blocks == NULL) goto done;
    char *o = PyBytes_AS_STRING(values);
    for (Py_ssize_t i = 0; i < n; i++) {  /* the list holds its values: none was freed meanwhile */
        memcpy(o, PyBytes_AS_STRING(PyList_GET_ITEM(postings, 3 * i + 2)), sizes[i]);
        o += sizes[i];
    }
    uint64_t at = base;
    for (Py_ssize_t a = 0; a < n; a += limit) {
        Py_ssize_t b = a + limit < n ? a + limit : n;
        PyObject *one = block(ids, weights, sizes, lengths, a, b, at);
        if (one == NULL || PyList_Append(blocks, one) < 0) {
            Py_XDECREF(one);
            goto done;
        }
        Py_DECREF(one);
        for (Py_ssize_t i = a; i < b; i++) at += (uint64_t)sizes[i];
    }
    out = PyTuple_Pack(2, values, blocks);
done:
    Py_XDECREF(values);
    Py_XDECREF(blocks);
    PyMem_Free(ids);
    PyMem_Free(sizes);
    PyMem_Free(weights);
    PyBuffer_Release(&lengths_buf);
    return out;
}

/* how many items a list or tuple holds; -1 and TypeError for anything else (no iterator runs) */
static Py_ssize_t size_of(PyObject *seq) {
    if (!PyList_CheckExact(seq) && !PyTuple_CheckExact(seq)) {
        PyErr_SetString(PyExc_TypeError, "keys, weights and values must be lists or tuples");
        return -1;
    }
    return PySequence_Fast_GET_SIZE(seq);
}

static PyObject *file_postings(PyObject *self, PyObject *args) {
    PyObject *terms, *keys, *weights, *values, *docnum;
    if (!PyArg_ParseTuple(args, "O!OOOO!:file_postings", &PyDict_Type, &terms, &keys, &weights, &values, &PyLong_Type,
                          &docnum))
        return NULL;
    if (!PyDict_CheckExact(terms)) {
        PyErr_SetString(PyExc_TypeError, "terms must be a dict");
        return NULL;
    }
    Py_ssize_t n = size_of(keys), n_weights, n_values;
    if (n < 0 || (n_weights = size_of(weights)) < 0 || (n_values = size_of(values)) < 0) return NULL;
    if (n_weights != n || n_values != n) {
        PyErr_SetString(PyExc_ValueError, "one weight and one value a key");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PySequence_Fast_ITEMS(keys)[i];
        if (!PyUnicode_CheckExact(key) && !PyBytes_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "a term must be a str or bytes");
            return NULL;
        }
    }
    /* from here no Python code runs (a str's or bytes' hash and compare are C), so the
       sequences keep their items; a list's items are re-read each time all the same */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PySequence_Fast_ITEMS(keys)[i];
        PyObject *list = PyDict_GetItemWithError(terms, key);
        if (list == NULL) {
            if (PyErr_Occurred()) return NULL;
            list = PyList_New(0);
            if (list == NULL) return NULL;
            int failed = PyDict_SetItem(terms, key, list);
            Py_DECREF(list);  /* the dict holds it */
            if (failed < 0) return NULL;
        } else if (!PyList_CheckExact(list)) {
            PyErr_SetString(PyExc_TypeError, "a term's postings must be a list");
            return NULL;
        }
        if (PyList_Append(list, docnum) < 0 || PyList_Append(list, PySequence_Fast_ITEMS(weights)[i]) < 0
            || PyList_Append(list, PySequence_Fast_ITEMS(values)[i]) < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"file_postings", file_postings, METH_VARARGS, "Append (docnum, weight, value) to each key's list of terms."},
    {"ool_blocks", ool_blocks, METH_VARARGS, "A term's values joined and its out-of-line posting blocks."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bulk", "The bulk writer's work per posting, in C.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__bulk(void) { return PyModule_Create(&module); }
