/* The bulk writer's work per posting, in C (`bulk.BulkWriter`, `blocks.TermWriter`).

   A segment's text fields hold a million postings per 20 MB of text. Keeping each posting as
   three Python objects in its term's list, then writing the lists W3's way, took a dozen
   Python operations a posting and ~100 bytes (a list slot each, a bytes object for its
   value, a tuple to file it; then slices, a dict look-up of its field length, the block's
   deltas, widths and arrays, its value's size and offset). Here a text field's postings go
   into a `Pool` — per term, arrays of document numbers, weights and value sizes and one
   buffer of the values — and a term's blocks are made from those arrays in one walk; the
   per-block and per-term bookkeeping (W3's term info, the pickled block info) stays in
   Python. Same bytes: the tests compare them with the Python route and with Whoosh's writer.

   Pool()
     .add(keys, weights, values, docnum)  docnum's posting of each term of `keys` (str or
          bytes), its weight (int or float) and value (bytes); lists or tuples of one length
     .add_batch(terms, docnums, pairs, numbers, counts, ends, values, boost)
          the postings of texts analysed together (`_wordtable.batch`'s buffers): text i's
          pairs[i] (term, value) pairs are filed under docnums[i], each term terms[number]
          (a word table's list of terms: its numbers are remembered against this pool's, while
          the same list is given), its weight count * boost; all int64 buffers but `values`.
          Everything is checked before anything is filed (ValueError, OverflowError).
     .truncate(docnum)                    drops the postings of documents from docnum on and the
                                          terms left with none (the writer's undo of a batch
                                          whose records were not all added)
     .keys()                              the terms, in the order they came
     len(pool)                            how many terms
     .flat(key)                           a term's postings as [docnum, weight, value, ...]
     .blocks(key, lengths, limit, base) -> (values, blocks)
          lengths: int64 buffer, each document's quantised field length (0: none); limit:
          postings per block; base: where the term's first value will stand in the occurrence
          file. Returns the term's values joined and, per block, (postings, first and last
          document number, greatest weight (a float, 0 at least), least and greatest field
          length (None and 0 when none), the weights as float32 bytes, the block's data as
          `block_format.ool_block_data` packs it). ValueError for document numbers that do not
          ascend or lie outside `lengths`; OverflowError for a document number, gap or value
          size from 2**32 on.

   file_postings(terms, keys, weights, values, docnum) -> None
     the same filing for the other fields, whose terms keep Python lists: appends (docnum,
     weight, value) to terms[key] for each key (a new list for a new key), as
     `BulkWriter._file_postings`'s map(list.extend, ...) did with a tuple a posting. terms is
     a dict (not a subclass). */

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

/* -- the pool ------------------------------------------------------------------------ */

typedef struct {  /* one term's postings */
    int64_t *docs, *sizes;
    double *weights;
    Py_ssize_t n, cap;
    char *data;
    Py_ssize_t used, room;
} Term;

typedef struct {
    PyObject_HEAD
    PyObject *numbers;  /* dict: term -> its number */
    PyObject *keys;     /* list: the terms by number */
    Term *terms;
    Py_ssize_t n_terms, cap_terms;
    PyObject *owner;     /* the list of terms whose numbers `add_batch` was given last (a word table's) */
    Py_ssize_t *remote;  /* owner's term number -> this pool's number + 1 (0: not met yet) */
    Py_ssize_t remote_cap;
} Pool;

static void pool_dealloc(Pool *self) {
    for (Py_ssize_t t = 0; t < self->n_terms; t++) {
        PyMem_Free(self->terms[t].docs);
        PyMem_Free(self->terms[t].sizes);
        PyMem_Free(self->terms[t].weights);
        PyMem_Free(self->terms[t].data);
    }
    PyMem_Free(self->terms);
    PyMem_Free(self->remote);
    Py_XDECREF(self->owner);
    Py_XDECREF(self->numbers);
    Py_XDECREF(self->keys);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *pool_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    if (PyTuple_GET_SIZE(args) || (kwargs && PyDict_GET_SIZE(kwargs))) {
        PyErr_SetString(PyExc_TypeError, "Pool() takes no arguments");
        return NULL;
    }
    Pool *self = (Pool *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->numbers = PyDict_New();
    self->keys = PyList_New(0);
    if (!self->numbers || !self->keys) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static Py_ssize_t pool_len(Pool *self) { return self->n_terms; }

/* the number of `key`, a new term made for a new key; -1 with an exception */
static Py_ssize_t term_number(Pool *self, PyObject *key, int make) {
    PyObject *found = PyDict_GetItemWithError(self->numbers, key);
    if (found != NULL) return PyLong_AsSsize_t(found);
    if (PyErr_Occurred()) return -1;
    if (!make) {
        PyErr_SetObject(PyExc_KeyError, key);
        return -1;
    }
    if (self->n_terms == self->cap_terms) {
        Py_ssize_t cap = self->cap_terms ? 2 * self->cap_terms : 256;
        Term *terms = PyMem_Realloc(self->terms, cap * sizeof(Term));
        if (terms == NULL) { PyErr_NoMemory(); return -1; }
        self->terms = terms;
        self->cap_terms = cap;
    }
    Py_ssize_t t = self->n_terms;
    PyObject *number = PyLong_FromSsize_t(t);
    if (number == NULL) return -1;
    int failed = PyDict_SetItem(self->numbers, key, number);
    Py_DECREF(number);
    if (failed < 0) return -1;
    if (PyList_Append(self->keys, key) < 0) {
        PyDict_DelItem(self->numbers, key);
        return -1;
    }
    memset(&self->terms[t], 0, sizeof(Term));
    self->n_terms++;
    return t;
}

static int grow(void **p, Py_ssize_t *cap, Py_ssize_t need, size_t item) {
    if (need <= *cap) return 1;
    if (need > PY_SSIZE_T_MAX / 2 / (Py_ssize_t)item) {  /* the doubling below would overflow */
        PyErr_NoMemory();
        return 0;
    }
    Py_ssize_t c = *cap ? *cap : 4;
    while (c < need) c *= 2;
    void *q = PyMem_Realloc(*p, c * item);
    if (q == NULL) { PyErr_NoMemory(); return 0; }
    *p = q;
    *cap = c;
    return 1;
}

static int term_append(Term *term, int64_t docnum, double weight, const char *value, Py_ssize_t size) {
    if (term->n == term->cap) {
        Py_ssize_t cap = term->cap, need = term->n + 1;
        Py_ssize_t c1 = cap, c2 = cap, c3 = cap;
        if (!grow((void **)&term->docs, &c1, need, sizeof(int64_t)) || !grow((void **)&term->sizes, &c2, need, sizeof(int64_t))
            || !grow((void **)&term->weights, &c3, need, sizeof(double)))
            return 0;
        term->cap = c1;  /* all three grew alike */
    }
    if (!grow((void **)&term->data, &term->room, term->used + size, 1)) return 0;
    term->docs[term->n] = docnum;
    term->weights[term->n] = weight;
    term->sizes[term->n] = size;
    term->n++;
    if (size) memcpy(term->data + term->used, value, size);
    term->used += size;
    return 1;
}

/* how many items a list or tuple holds; -1 and TypeError for anything else (no iterator runs) */
static Py_ssize_t size_of(PyObject *seq) {
    if (!PyList_CheckExact(seq) && !PyTuple_CheckExact(seq)) {
        PyErr_SetString(PyExc_TypeError, "keys, weights and values must be lists or tuples");
        return -1;
    }
    return PySequence_Fast_GET_SIZE(seq);
}

/* keys, weights and values of one length, each term a str or bytes: 0, or -1 with an exception */
static int check_columns(PyObject *keys, PyObject *weights, PyObject *values, Py_ssize_t *n) {
    Py_ssize_t n_weights, n_values;
    if ((*n = size_of(keys)) < 0 || (n_weights = size_of(weights)) < 0 || (n_values = size_of(values)) < 0) return -1;
    if (n_weights != *n || n_values != *n) {
        PyErr_SetString(PyExc_ValueError, "one weight and one value a key");
        return -1;
    }
    for (Py_ssize_t i = 0; i < *n; i++) {
        PyObject *key = PySequence_Fast_ITEMS(keys)[i];
        if (!PyUnicode_CheckExact(key) && !PyBytes_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "a term must be a str or bytes");
            return -1;
        }
    }
    return 0;
}

static PyObject *pool_add(Pool *self, PyObject *args) {
    PyObject *keys, *weights, *values;
    long long docnum;
    if (!PyArg_ParseTuple(args, "OOOL:add", &keys, &weights, &values, &docnum)) return NULL;
    Py_ssize_t n;
    if (check_columns(keys, weights, values, &n) < 0) return NULL;
    if (docnum < 0 || docnum > 0xFFFFFFFFLL) {
        PyErr_SetString(PyExc_OverflowError, "a document number outside 0..2**32-1");
        return NULL;
    }
    /* everything checked and converted first: a refused record files nothing */
    double *w = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (w == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *weight = PySequence_Fast_ITEMS(weights)[i], *value = PySequence_Fast_ITEMS(values)[i];
        if (!(PyFloat_CheckExact(weight) || PyLong_CheckExact(weight)) || !PyBytes_CheckExact(value)) {
            PyErr_SetString(PyExc_TypeError, "a weight must be an int or a float, a value bytes");
            PyMem_Free(w);
            return NULL;
        }
        w[i] = PyFloat_AsDouble(weight);
        if (w[i] == -1.0 && PyErr_Occurred()) {  /* an int too large for a float */
            PyMem_Free(w);
            return NULL;
        }
    }
    /* nothing below allocates an object the garbage collector tracks (an int, a dict's and a
       list's own storage, our arrays), so no Python code runs and the lists keep their items
       (add() may run while the collector is off elsewhere; it never needs to turn it off) */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t t = term_number(self, PySequence_Fast_ITEMS(keys)[i], 1);
        PyObject *value = PySequence_Fast_ITEMS(values)[i];
        if (t < 0 || !term_append(&self->terms[t], docnum, w[i], PyBytes_AS_STRING(value), PyBytes_GET_SIZE(value))) {
            PyMem_Free(w);
            return NULL;
        }
    }
    PyMem_Free(w);
    Py_RETURN_NONE;
}

/* an aligned, C-contiguous buffer of 8-byte integers (its format says so); 0 with an exception */
static int int64s(PyObject *obj, Py_buffer *b, const char *name) {
    if (PyObject_GetBuffer(obj, b, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return 0;
    const char *f = b->format ? b->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    if (b->itemsize != 8 || f[0] == '\0' || f[1] != '\0' || !strchr("qQlL", f[0])
        || (b->len && (uintptr_t)b->buf % sizeof(int64_t))) {  /* an empty one is never read */
        PyErr_Format(PyExc_ValueError, "%s must hold aligned 8-byte integers", name);
        PyBuffer_Release(b);
        b->obj = NULL;
        return 0;
    }
    return 1;
}

/* this pool's number of the owner's term t (`key`), remembered; -1 with an exception */
static Py_ssize_t remote_number(Pool *self, Py_ssize_t t, PyObject *key) {
    if (t >= self->remote_cap) {
        Py_ssize_t cap = self->remote_cap ? self->remote_cap : 1024;
        while (cap <= t) cap *= 2;
        Py_ssize_t *remote = PyMem_Realloc(self->remote, cap * sizeof(Py_ssize_t));
        if (remote == NULL) { PyErr_NoMemory(); return -1; }
        memset(remote + self->remote_cap, 0, (cap - self->remote_cap) * sizeof(Py_ssize_t));
        self->remote = remote;
        self->remote_cap = cap;
    }
    Py_ssize_t r = self->remote[t];
    if (r > 0 && r <= self->n_terms) {  /* the same term still? (the owner's list could have changed) */
        PyObject *held = PyList_GET_ITEM(self->keys, r - 1);
        if (held == key || (PyUnicode_CheckExact(held) && PyUnicode_Compare(held, key) == 0)) return r - 1;
    }
    Py_ssize_t n = term_number(self, key, 1);
    if (n >= 0) self->remote[t] = n + 1;
    return n;
}

static PyObject *pool_add_batch(Pool *self, PyObject *args) {
    PyObject *terms, *objs[6];
    double boost;
    if (!PyArg_ParseTuple(args, "O!OOOOOOd:add_batch", &PyList_Type, &terms, &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &boost))
        return NULL;
    static const char *names[] = {"docnums", "pairs", "numbers", "counts", "ends"};
    Py_buffer bufs[6];
    memset(bufs, 0, sizeof bufs);
    PyObject *out = NULL;
    for (int i = 0; i < 5; i++)
        if (!int64s(objs[i], &bufs[i], names[i])) goto done;
    if (PyObject_GetBuffer(objs[5], &bufs[5], PyBUF_C_CONTIGUOUS) < 0) goto done;
    const int64_t *docnums = bufs[0].buf, *pairs = bufs[1].buf, *numbers = bufs[2].buf, *counts = bufs[3].buf,
                  *ends = bufs[4].buf;
    const char *values = bufs[5].buf;
    Py_ssize_t n_texts = bufs[0].len / 8, n_pairs = bufs[2].len / 8, n_values = bufs[5].len;
    Py_ssize_t n_terms = PyList_GET_SIZE(terms);
    /* everything checked first: a refused batch files nothing */
    if (bufs[1].len / 8 != n_texts || bufs[3].len / 8 != n_pairs || bufs[4].len / 8 != n_pairs) {
        PyErr_SetString(PyExc_ValueError, "one docnum a text, one count and one end a pair");
        goto done;
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < n_texts; i++) {
        if (docnums[i] < 0 || docnums[i] > 0xFFFFFFFFLL) {
            PyErr_SetString(PyExc_OverflowError, "a document number outside 0..2**32-1");
            goto done;
        }
        if (pairs[i] < 0 || pairs[i] > n_pairs - total) {
            PyErr_SetString(PyExc_ValueError, "the texts' pairs are not the pairs given");
            goto done;
        }
        total += pairs[i];
    }
    if (total != n_pairs) {
        PyErr_SetString(PyExc_ValueError, "the texts' pairs are not the pairs given");
        goto done;
    }
    for (Py_ssize_t j = 0; j < n_pairs; j++) {
        if (numbers[j] < 0 || numbers[j] >= n_terms || !PyUnicode_CheckExact(PyList_GET_ITEM(terms, numbers[j]))) {
            PyErr_SetString(PyExc_ValueError, "a term number outside the terms, or a term not a str");
            goto done;
        }
        if (ends[j] < (j ? ends[j - 1] : 0) || ends[j] > n_values || counts[j] < 0) {
            PyErr_SetString(PyExc_ValueError, "value ends must ascend within the values, counts be 0 or more");
            goto done;
        }
    }
    if (self->owner != terms) {  /* another numbering: what was remembered does not hold */
        Py_XSETREF(self->owner, Py_NewRef(terms));
        PyMem_Free(self->remote);
        self->remote = NULL;
        self->remote_cap = 0;
    }
    /* as in add(): nothing below allocates an object the collector tracks or runs Python code */
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < n_texts; i++) {
        for (int64_t k = 0; k < pairs[i]; k++, j++) {
            Py_ssize_t t = remote_number(self, numbers[j], PyList_GET_ITEM(terms, numbers[j]));
            int64_t start = j ? ends[j - 1] : 0;
            if (t < 0 || !term_append(&self->terms[t], docnums[i], (double)counts[j] * boost, values + start,
                                      ends[j] - start))
                goto done;
        }
    }
    out = Py_NewRef(Py_None);
done:
    for (int i = 0; i < 6; i++)
        if (bufs[i].obj != NULL) PyBuffer_Release(&bufs[i]);
    return out;
}

/* the postings of documents from `docnum` on dropped, and the terms left without any (the
   last made: a term's postings ascend, so one made before the first dropped posting keeps one) */
static PyObject *pool_truncate(Pool *self, PyObject *arg) {
    long long docnum = PyLong_AsLongLong(arg);
    if (docnum == -1 && PyErr_Occurred()) return NULL;
    for (Py_ssize_t t = 0; t < self->n_terms; t++) {
        Term *term = &self->terms[t];
        while (term->n && term->docs[term->n - 1] >= docnum) {
            term->n--;
            term->used -= term->sizes[term->n];
        }
    }
    while (self->n_terms && self->terms[self->n_terms - 1].n == 0) {
        Py_ssize_t t = self->n_terms - 1;
        PyObject *key = PyList_GET_ITEM(self->keys, t);
        if (PyDict_DelItem(self->numbers, key) < 0 || PyList_SetSlice(self->keys, t, t + 1, NULL) < 0) return NULL;
        Term *term = &self->terms[t];
        PyMem_Free(term->docs);
        PyMem_Free(term->sizes);
        PyMem_Free(term->weights);
        PyMem_Free(term->data);
        self->n_terms--;
    }
    Py_RETURN_NONE;
}

static PyObject *pool_keys(Pool *self, PyObject *unused) { return PyList_GetSlice(self->keys, 0, self->n_terms); }

static PyObject *pool_flat(Pool *self, PyObject *key) {
    Py_ssize_t t = term_number(self, key, 0);
    if (t < 0) return NULL;
    /* the collector off while the objects are made: its Python code could add terms, and
       move the one being read */
    int was = PyGC_Disable();
    Term *term = &self->terms[t];
    PyObject *out = PyList_New(3 * term->n);
    if (out == NULL) {
        if (was) PyGC_Enable();
        return NULL;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < term->n; i++) {
        /* a weight that is a whole number comes back an int, as it was filed (the analysis'
           counts); W3 stores weights as float32 either way */
        double w = term->weights[i];
        PyObject *doc = PyLong_FromLongLong(term->docs[i]);
        PyObject *weight = (w >= -9007199254740992.0 && w <= 9007199254740992.0 && w == (double)(long long)w)
                               ? PyLong_FromLongLong((long long)w) : PyFloat_FromDouble(w);
        PyObject *value = PyBytes_FromStringAndSize(term->data + at, term->sizes[i]);
        at += term->sizes[i];
        if (!doc || !weight || !value) {
            Py_XDECREF(doc); Py_XDECREF(weight); Py_XDECREF(value);
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, 3 * i, doc);
        PyList_SET_ITEM(out, 3 * i + 1, weight);
        PyList_SET_ITEM(out, 3 * i + 2, value);
    }
    if (was) PyGC_Enable();
    return out;
}

static PyObject *pool_blocks(Pool *self, PyObject *args) {
    PyObject *key, *lengths_obj, *base_obj;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "OOnO!:blocks", &key, &lengths_obj, &limit, &PyLong_Type, &base_obj)) return NULL;
    unsigned long long base = PyLong_AsUnsignedLongLong(base_obj);  /* OverflowError below 0 or from 2**64 */
    if (base == (unsigned long long)-1 && PyErr_Occurred()) return NULL;
    Py_ssize_t t = term_number(self, key, 0);
    if (t < 0) return NULL;
    if (limit < 1) {
        PyErr_SetString(PyExc_ValueError, "a block holds one posting at least");
        return NULL;
    }
    Py_buffer lengths_buf;
    if (!int64s(lengths_obj, &lengths_buf, "lengths")) return NULL;
    PyObject *out = NULL, *values = NULL, *blocks = NULL;
    int was = PyGC_Disable();  /* as in flat(): no Python code runs while a term is read */
    Term *term = &self->terms[t];
    const int64_t *lengths = lengths_buf.buf;
    Py_ssize_t n_lengths = lengths_buf.len / 8;
    for (Py_ssize_t i = 0; i < term->n; i++) {
        if (term->docs[i] >= n_lengths || (i && term->docs[i] <= term->docs[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "document numbers must ascend, each with a length");
            goto done;
        }
    }
    if ((unsigned long long)term->used > 0xFFFFFFFFFFFFFFFFULL - base) {
        PyErr_SetString(PyExc_OverflowError, "the values would end past 2**64");
        goto done;
    }
    values = PyBytes_FromStringAndSize(term->data, term->used);
    blocks = PyList_New(0);
    if (values == NULL || blocks == NULL) goto done;
    uint64_t at = base;
    for (Py_ssize_t a = 0; a < term->n; a += limit) {
        Py_ssize_t b = a + limit < term->n ? a + limit : term->n;
        PyObject *one = block(term->docs, term->weights, term->sizes, lengths, a, b, at);
        if (one == NULL || PyList_Append(blocks, one) < 0) {
            Py_XDECREF(one);
            goto done;
        }
        Py_DECREF(one);
        for (Py_ssize_t i = a; i < b; i++) at += (uint64_t)term->sizes[i];
    }
    out = PyTuple_Pack(2, values, blocks);
done:
    if (was) PyGC_Enable();
    Py_XDECREF(values);
    Py_XDECREF(blocks);
    PyBuffer_Release(&lengths_buf);
    return out;
}

static PyMethodDef pool_methods[] = {
    {"add", (PyCFunction)pool_add, METH_VARARGS, "File docnum's posting of each term: (keys, weights, values, docnum)."},
    {"add_batch", (PyCFunction)pool_add_batch, METH_VARARGS, "File a batch of texts' postings made by _wordtable.batch."},
    {"truncate", (PyCFunction)pool_truncate, METH_O, "Drop the postings of documents from docnum on, and the terms left with none."},
    {"keys", (PyCFunction)pool_keys, METH_NOARGS, "The terms, in the order they came."},
    {"flat", (PyCFunction)pool_flat, METH_O, "A term's postings as [docnum, weight, value, ...]."},
    {"blocks", (PyCFunction)pool_blocks, METH_VARARGS, "A term's values joined and its out-of-line posting blocks."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods pool_as_sequence = {.sq_length = (lenfunc)pool_len};

static PyTypeObject PoolType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "govdocs.index.engine._bulk.Pool",
    .tp_basicsize = sizeof(Pool),
    .tp_dealloc = (destructor)pool_dealloc,
    .tp_as_sequence = &pool_as_sequence,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A text field's postings, per term, in arrays (the module's docstring).",
    .tp_methods = pool_methods,
    .tp_new = pool_new,
};

static PyObject *file_postings(PyObject *self, PyObject *args) {
    PyObject *terms, *keys, *weights, *values, *docnum;
    if (!PyArg_ParseTuple(args, "O!OOOO!:file_postings", &PyDict_Type, &terms, &keys, &weights, &values, &PyLong_Type,
                          &docnum))
        return NULL;
    if (!PyDict_CheckExact(terms)) {
        PyErr_SetString(PyExc_TypeError, "terms must be a dict");
        return NULL;
    }
    Py_ssize_t n;
    if (check_columns(keys, weights, values, &n) < 0) return NULL;
    /* the collector off while this runs: a new term's list could start it, and its
       Python code change the lists given or the dict under us */
    int was = PyGC_Disable();
    PyObject *out = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PySequence_Fast_ITEMS(keys)[i];
        PyObject *list = PyDict_GetItemWithError(terms, key);
        if (list == NULL) {
            if (PyErr_Occurred()) goto done;
            list = PyList_New(0);
            if (list == NULL) goto done;
            int failed = PyDict_SetItem(terms, key, list);
            Py_DECREF(list);  /* the dict holds it */
            if (failed < 0) goto done;
        } else if (!PyList_CheckExact(list)) {
            PyErr_SetString(PyExc_TypeError, "a term's postings must be a list");
            goto done;
        }
        if (PyList_Append(list, docnum) < 0 || PyList_Append(list, PySequence_Fast_ITEMS(weights)[i]) < 0
            || PyList_Append(list, PySequence_Fast_ITEMS(values)[i]) < 0)
            goto done;
    }
    out = Py_NewRef(Py_None);
done:
    if (was) PyGC_Enable();
    return out;
}

static PyMethodDef methods[] = {
    {"file_postings", file_postings, METH_VARARGS, "Append (docnum, weight, value) to each key's list of terms."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bulk", "The bulk writer's work per posting, in C.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__bulk(void) {
    if (PyType_Ready(&PoolType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&PoolType);
    if (PyModule_AddObject(m, "Pool", (PyObject *)&PoolType) < 0) {
        Py_DECREF(&PoolType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
