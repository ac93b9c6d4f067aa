/* A text field's posting lists read in C (`block_format.ool_lists`: `Evaluator._read`, `postings_ndarrays`).

   A posting list is W3's run of blocks (codec.py, `ool_block_data`): the magic tag, then per
   block its size (big-endian int32, negative for the last), W3's pickled block info (count,
   last document number, greatest weight, compression, least and greatest length bytes) and
   the packed arrays of an out-of-line block. A count is checked against its block's bytes
   (a posting takes one at least) before anything is allocated for it. The NumPy route makes a dozen Python and NumPy
   calls a block (~55 µs a posting list at 1 GB, where a query like 省人民政府 reads some 350
   of them); this one walks the blocks once. Same results: the tests compare the two.

   ool_lists(extents, bases, values=True) -> (ids, weights, starts, ends, counts)
     extents: posting lists' bytes (any buffers), each from its magic tag on — one term's
             lists in several segments
     bases:   what to add to each list's document numbers (its segment's first number)
     returns five bytearrays of native numbers, the lists one after the other: the document
             numbers plus their list's base (int64), the weights (float64), where each value
             starts and ends in its occurrence file (int64), and each list's count (int64);
             None for anything this reader does not know (a pickle opcode other than those
             protocol 2 writes for the block info, a compressed block, a block cut short):
             the caller reads those the NumPy way, which says what is wrong. One call and
             one set of arrays for a term's lists in every segment: no per-segment arrays to
             join afterwards. With `values` false, starts and ends are None: not made (16 of
             a posting's 32 bytes, in memory a fresh process must have the kernel map and zero,
             ~4 µs a page here), read later for the postings that need them:

   ool_values(extents, indexes) -> (starts, ends)
     indexes: ascending int64 numbers of postings in the lists one after the other
     returns where those postings' values start and end (int64 bytearrays): each list's blocks
             walked once, up to the last that holds one, and only those decoded; None where
             ool_lists would give None.

   table_values(key, keyhash, tables) -> [bytes | None, ...]: a term's info in several segments'
   terms tables at once (below). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static const uint8_t MAGIC[4] = {'W', '3', 'B', 'l'};
static const int WIDTHS[4] = {1, 2, 4, 4};
#define FLOAT_WIDTH 3
#define WIDE_BASE 0x40

static inline uint64_t le(const uint8_t *b, int width) {
    uint64_t v = 0;
    for (int k = width - 1; k >= 0; k--) v = v << 8 | b[k];
    return v;
}

static inline uint64_t be(const uint8_t *b, int width) {
    uint64_t v = 0;
    for (int k = 0; k < width; k++) v = v << 8 | b[k];
    return v;
}

/* the first two integers of a pickled block info at b[*i, stop) (count and compression: the
   first and fourth items), *i moved past its STOP; 0, or -1 for what this reader does not know */
static int block_info(const uint8_t *b, Py_ssize_t *i, Py_ssize_t stop, int64_t *count, int64_t *compression) {
    Py_ssize_t at = *i;
    int item = 0;
    while (at < stop) {
        uint8_t op = b[at++];
        int64_t value = 0;
        int is_int = 0;
        switch (op) {
        case 0x80: at += 1; continue;                      /* PROTO */
        case '(': continue;                                /* MARK */
        case 't': case 0x85: case 0x86: case 0x87: continue;  /* TUPLE, TUPLE1-3 */
        case 'q': at += 1; continue;                       /* BINPUT */
        case 'r': at += 4; continue;                       /* LONG_BINPUT */
        case '.': *i = at; return item >= 4 ? 0 : -1;      /* STOP */
        case 'K': if (at + 1 > stop) return -1; value = b[at]; at += 1; is_int = 1; break;
        case 'M': if (at + 2 > stop) return -1; value = (int64_t)le(b + at, 2); at += 2; is_int = 1; break;
        case 'J': if (at + 4 > stop) return -1; value = (int32_t)le(b + at, 4); at += 4; is_int = 1; break;
        case 0x8a: {                                       /* LONG1: n bytes, little-endian, signed */
            if (at + 1 > stop) return -1;
            int n = b[at++];
            if (n > 8 || at + n > stop) return -1;
            if (n) {
                uint64_t u = le(b + at, n);
                if (n < 8 && (b[at + n - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * n);
                value = (int64_t)u;
            }
            at += n;
            is_int = 1;
            break;
        }
        case 'G': at += 8; break;                          /* BINFLOAT: the greatest weight */
        case 'N': case 0x88: case 0x89: break;             /* None, True, False */
        default: return -1;
        }
        if (item == 0) {
            if (!is_int) return -1;
            *count = value;
        } else if (item == 3) {
            if (!is_int) return -1;
            *compression = value;
        }
        item++;
    }
    return -1;
}

/* each block's (count, data start, data end) found and checked; returns the number of
   blocks, -1 for what this reader does not know; fills `total` */
typedef struct { int64_t n; Py_ssize_t start, end; } Block;

/* the block at *at (past the magic tag) read and checked into *block, *at moved past it and
   *last set for the list's last one; `total`, the postings before it (a count past what memory
   could hold is refused); 0, or -1 for what this reader does not know */
static int next_block(const uint8_t *b, Py_ssize_t len, Py_ssize_t *at, Block *block, int *last, int64_t total) {
    if (*at + 4 > len) return -1;
    int32_t size = (int32_t)be(b + *at, 4);
    Py_ssize_t from = *at + 4;
    int64_t magnitude = size < 0 ? -(int64_t)size : size;
    Py_ssize_t end = from + (Py_ssize_t)magnitude;
    if (end > len) return -1;
    int64_t n = -1, compression = -1;
    if (block_info(b, &from, end, &n, &compression) < 0 || n < 1 || compression != 0) return -1;
    /* every posting takes a byte of the block at least (a value size): a count past that, or
       past what memory could hold, is a damaged block — refused before it is added up */
    if (n > end - from || n > PY_SSIZE_T_MAX / 32 - total) return -1;
    *block = (Block){n, from, end};
    *at = end;
    *last = size < 0;
    return 0;
}

static Py_ssize_t scan(const uint8_t *b, Py_ssize_t len, Block *blocks, Py_ssize_t most, int64_t *total) {
    if (len < 4 || memcmp(b, MAGIC, 4) != 0) return -1;
    Py_ssize_t at = 4, k = 0;
    *total = 0;
    for (int last = 0; !last; k++) {
        Block block;
        if (next_block(b, len, &at, &block, &last, *total) < 0) return -1;
        if (blocks != NULL) {
            if (k >= most) return -1;
            blocks[k] = block;
        }
        *total += block.n;
    }
    return k;
}

/* the layout of a block's data: its count's value sizes start at *at_sizes, each `*sw` bytes
   wide; its first document number and value place in *doc and *place; 0, or -1 for a block
   this reader does not know */
static int block_layout(const uint8_t *d, Py_ssize_t size, int64_t n, int *iw, int *ww, int *sw, Py_ssize_t *at,
                        Py_ssize_t *at_weights, Py_ssize_t *at_sizes, int64_t *doc, int64_t *place) {
    if (size < 9) return -1;
    uint8_t flags = d[0];
    *iw = flags & 3, *ww = flags >> 2 & 3, *sw = flags >> 4 & 3;
    if (*iw == FLOAT_WIDTH || *sw == FLOAT_WIDTH) return -1;
    *at = flags & WIDE_BASE ? 13 : 9;
    *at_weights = *at + (n - 1) * WIDTHS[*iw], *at_sizes = *at_weights + n * WIDTHS[*ww];
    if (size < *at || *at_sizes + n * WIDTHS[*sw] > size) return -1;
    *doc = (int64_t)le(d + 1, 4), *place = (int64_t)le(d + 5, (int)(*at - 5));
    return 0;
}

/* one list's postings written at *id, *weight and, unless `start` is NULL, *start and *end
   (each moved past them), its document numbers plus `base`; 0, or -1 for a block this reader
   does not know */
static int decode_list(const uint8_t *b, const Block *blocks, Py_ssize_t count, int64_t base, int64_t **id,
                       double **weight, int64_t **start, int64_t **end) {
    for (Py_ssize_t k = 0; k < count; k++) {
        const uint8_t *d = b + blocks[k].start;
        int64_t n = blocks[k].n, doc, place;
        int iw, ww, sw;
        Py_ssize_t at, at_weights, at_sizes;
        if (block_layout(d, blocks[k].end - blocks[k].start, n, &iw, &ww, &sw, &at, &at_weights, &at_sizes, &doc,
                         &place) < 0)
            return -1;
        for (int64_t j = 0; j < n; j++) {
            if (j) doc += (int64_t)le(d + at + (j - 1) * WIDTHS[iw], WIDTHS[iw]);
            *(*id)++ = doc + base;
            if (ww == FLOAT_WIDTH) {
                float f;
                uint32_t u = (uint32_t)le(d + at_weights + j * 4, 4);
                memcpy(&f, &u, 4);
                *(*weight)++ = f;
            } else {
                *(*weight)++ = (double)le(d + at_weights + j * WIDTHS[ww], WIDTHS[ww]);
            }
            if (start != NULL) {
                *(*start)++ = place;
                place += (int64_t)le(d + at_sizes + j * WIDTHS[sw], WIDTHS[sw]);
                *(*end)++ = place;
            }
        }
    }
    return 0;
}

static PyObject *ool_lists(PyObject *self, PyObject *args) {
    PyObject *extents_arg, *bases_arg;
    int values = 1;
    if (!PyArg_ParseTuple(args, "OO|p", &extents_arg, &bases_arg, &values)) return NULL;
    PyObject *extents = PySequence_Fast(extents_arg, "extents must be a sequence");
    if (extents == NULL) return NULL;
    PyObject *bases = PySequence_Fast(bases_arg, "bases must be a sequence");
    if (bases == NULL) {
        Py_DECREF(extents);
        return NULL;
    }
    Py_ssize_t lists = PySequence_Fast_GET_SIZE(extents), got = 0;
    PyObject *ids = NULL, *weights = NULL, *starts = NULL, *ends = NULL, *counts = NULL, *out = NULL;
    Py_buffer *views = NULL;
    Block **blocks = NULL;
    Py_ssize_t *nblocks = NULL;
    int64_t total = 0;
    if (PySequence_Fast_GET_SIZE(bases) != lists) {
        PyErr_SetString(PyExc_ValueError, "one base a list");
        goto done;
    }
    views = PyMem_Calloc(lists ? lists : 1, sizeof(Py_buffer));
    blocks = PyMem_Calloc(lists ? lists : 1, sizeof(Block *));
    nblocks = PyMem_Calloc(lists ? lists : 1, sizeof(Py_ssize_t));
    counts = PyByteArray_FromStringAndSize(NULL, lists * (Py_ssize_t)sizeof(int64_t));
    if (views == NULL || blocks == NULL || nblocks == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (counts == NULL) goto done;
    int64_t *count = (int64_t *)PyByteArray_AS_STRING(counts);
    for (Py_ssize_t k = 0; k < lists; k++) {
        if (PyObject_GetBuffer(PySequence_Fast_GET_ITEM(extents, k), &views[k], PyBUF_SIMPLE) < 0) goto done;
        got = k + 1;  /* views[0, got) are released, blocks[0, got) freed, below */
        int64_t listed;
        Py_ssize_t found = scan(views[k].buf, views[k].len, NULL, 0, &listed);
        if (found < 0) goto unknown;
        blocks[k] = PyMem_Malloc(found * sizeof(Block));
        if (blocks[k] == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        nblocks[k] = scan(views[k].buf, views[k].len, blocks[k], found, &listed);
        if (nblocks[k] != found) goto unknown;  /* the same bytes scanned twice: never */
        count[k] = listed;
        if (listed > PY_SSIZE_T_MAX / 32 - total) goto unknown;
        total += listed;
    }
    Py_ssize_t bytes = total * (Py_ssize_t)sizeof(int64_t);
    ids = PyByteArray_FromStringAndSize(NULL, bytes);
    weights = PyByteArray_FromStringAndSize(NULL, bytes);
    starts = values ? PyByteArray_FromStringAndSize(NULL, bytes) : Py_NewRef(Py_None);
    ends = values ? PyByteArray_FromStringAndSize(NULL, bytes) : Py_NewRef(Py_None);
    if (ids == NULL || weights == NULL || starts == NULL || ends == NULL) goto done;
    int64_t *id = (int64_t *)PyByteArray_AS_STRING(ids);
    int64_t *start = values ? (int64_t *)PyByteArray_AS_STRING(starts) : NULL;
    int64_t *end = values ? (int64_t *)PyByteArray_AS_STRING(ends) : NULL;
    double *weight = (double *)PyByteArray_AS_STRING(weights);
    for (Py_ssize_t k = 0; k < lists; k++) {
        long long base = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(bases, k));
        if (base == -1 && PyErr_Occurred()) goto done;
        if (decode_list(views[k].buf, blocks[k], nblocks[k], base, &id, &weight, values ? &start : NULL, &end) < 0)
            goto unknown;
    }
    out = PyTuple_Pack(5, ids, weights, starts, ends, counts);
    goto done;
unknown:
    out = Py_NewRef(Py_None);
done:
    for (Py_ssize_t k = 0; k < got; k++) {
        PyBuffer_Release(&views[k]);
        PyMem_Free(blocks[k]);
    }
    PyMem_Free(views);
    PyMem_Free(blocks);
    PyMem_Free(nblocks);
    Py_XDECREF(ids);
    Py_XDECREF(weights);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(counts);
    Py_DECREF(extents);
    Py_DECREF(bases);
    return out;
}

/* ool_values(extents, indexes) -> (starts, ends) | None: where the values of the postings at
   `indexes` (ascending int64, numbering the lists' postings one after the other, as ool_lists
   lays them out) start and end in their occurrence files. Only the blocks holding one of them
   are decoded (a phrase reads a common word's values in the documents a rarer word is in, a
   snippet one document's). */
static PyObject *ool_values(PyObject *self, PyObject *args) {
    PyObject *extents_arg;
    Py_buffer want;
    if (!PyArg_ParseTuple(args, "Oy*", &extents_arg, &want)) return NULL;
    PyObject *extents = NULL, *starts = NULL, *ends = NULL, *out = NULL;
    Py_buffer view = {0};
    if (want.len % (Py_ssize_t)sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "indexes must be int64");
        goto done;
    }
    extents = PySequence_Fast(extents_arg, "extents must be a sequence");
    if (extents == NULL) goto done;
    Py_ssize_t wanted = want.len / (Py_ssize_t)sizeof(int64_t), next = 0;
    const int64_t *index = (const int64_t *)want.buf;
    starts = PyByteArray_FromStringAndSize(NULL, want.len);
    ends = PyByteArray_FromStringAndSize(NULL, want.len);
    if (starts == NULL || ends == NULL) goto done;
    int64_t *start = (int64_t *)PyByteArray_AS_STRING(starts), *end = (int64_t *)PyByteArray_AS_STRING(ends);
    int64_t before = 0;  /* the postings of the blocks passed */
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(extents) && next < wanted; k++) {
        if (PyObject_GetBuffer(PySequence_Fast_GET_ITEM(extents, k), &view, PyBUF_SIMPLE) < 0) goto done;
        const uint8_t *b = view.buf;
        if (view.len < 4 || memcmp(b, MAGIC, 4) != 0) goto unknown;
        Py_ssize_t at = 4;
        /* the blocks walked once, up to the last one that holds a wanted posting */
        for (int last = 0; !last && next < wanted;) {
            Block block;
            if (next_block(b, view.len, &at, &block, &last, before) < 0) goto unknown;
            int64_t n = block.n;
            if (index[next] >= before + n) {
                before += n;
                continue;
            }
            const uint8_t *d = b + block.start;
            int64_t doc, place;
            int iw, ww, sw;
            Py_ssize_t data, at_weights, at_sizes;
            if (block_layout(d, block.end - block.start, n, &iw, &ww, &sw, &data, &at_weights, &at_sizes, &doc,
                             &place) < 0)
                goto unknown;
            int64_t j = 0;  /* the posting `place` is the start of */
            for (; next < wanted && index[next] < before + n; next++) {
                if (index[next] < before + j) {  /* below the one before it (or, the first, below 0);
                                                    checked before `index[next] - before` could overflow */
                    PyErr_SetString(PyExc_ValueError, "indexes must ascend from 0");
                    goto done;
                }
                int64_t target = index[next] - before;
                for (; j < target; j++) place += (int64_t)le(d + at_sizes + j * WIDTHS[sw], WIDTHS[sw]);
                start[next] = place;
                end[next] = place + (int64_t)le(d + at_sizes + j * WIDTHS[sw], WIDTHS[sw]);
            }
            before += n;
        }
        PyBuffer_Release(&view);
    }
    if (next < wanted) {
        PyErr_SetString(PyExc_IndexError, "an index past the lists");
        goto done;
    }
    out = PyTuple_Pack(2, starts, ends);
    goto done;
unknown:
    out = Py_NewRef(Py_None);
done:
    if (view.obj != NULL) PyBuffer_Release(&view);
    PyBuffer_Release(&want);
    Py_XDECREF(extents);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    return out;
}


/* table_values(key, keyhash, tables) -> [bytes | None, ...] | None: the value each of several
   Whoosh hashed tables (the terms tables of segments, `hashed.item_value`'s layout) holds under
   `key`, None where it holds none. `keyhash` is the key's hash (the tables' hash function's);
   each table is (its mapped bytes, its directory's 256 entries of big-endian int64 position and
   int32 slot count). None for the whole call where a table points past its bytes (the caller
   looks up the Python way, which says what is wrong). One call for a term in every segment: in
   Python a look-up costs ~6 µs, and a query for 省人民政府 makes ~1,600 of them at 1 GB. */
static PyObject *table_values(PyObject *self, PyObject *args) {
    Py_buffer key;
    unsigned long long keyhash;
    PyObject *tables_arg;
    if (!PyArg_ParseTuple(args, "y*KO", &key, &keyhash, &tables_arg)) return NULL;
    PyObject *tables = PySequence_Fast(tables_arg, "tables must be a sequence"), *out = NULL;
    if (tables == NULL) goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(tables);
    out = PyList_New(n);
    if (out == NULL) goto done;
    const uint32_t hash = (uint32_t)keyhash;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(tables, k);
        Py_buffer table, directory;
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "a table is (its bytes, its directory)");
            Py_CLEAR(out);
            goto done;
        }
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 0), &table, PyBUF_SIMPLE) < 0) {
            Py_CLEAR(out);
            goto done;
        }
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 1), &directory, PyBUF_SIMPLE) < 0) {
            PyBuffer_Release(&table);
            Py_CLEAR(out);
            goto done;
        }
        const uint8_t *b = table.buf, *d = directory.buf;
        Py_ssize_t len = table.len;
        int known = directory.len == 256 * 12;
        PyObject *value = Py_None;
        if (known) {
            const uint8_t *entry = d + (hash & 255) * 12;
            int64_t start = (int64_t)be(entry, 8), slots = (int32_t)be(entry + 8, 4);
            known = slots >= 0 && start >= 0 && start <= len && slots <= (len - start) / 12;
            for (int64_t i = 0, at = slots ? (int64_t)(hash >> 8) % slots : 0; known && i < slots; i++) {
                const uint8_t *slot = b + start + at * 12;
                int64_t item = (int64_t)be(slot + 4, 8);
                if (item == 0) break;
                if ((uint32_t)be(slot, 4) == hash) {
                    if (item < 0 || item > len - 8) {
                        known = 0;
                        break;
                    }
                    int64_t keylen = (int32_t)be(b + item, 4), datalen = (int32_t)be(b + item + 4, 4);
                    if (keylen < 0 || datalen < 0 || keylen + datalen > len - item - 8) {
                        known = 0;
                        break;
                    }
                    if (keylen == key.len && memcmp(b + item + 8, key.buf, (size_t)keylen) == 0) {
                        value = PyBytes_FromStringAndSize((const char *)b + item + 8 + keylen, (Py_ssize_t)datalen);
                        break;
                    }
                }
                if (++at == slots) at = 0;
            }
        }
        PyBuffer_Release(&table);
        PyBuffer_Release(&directory);
        if (value == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        if (!known) {  /* found nothing (a value is made only once everything checked out) */
            Py_CLEAR(out);
            out = Py_NewRef(Py_None);
            goto done;
        }
        PyList_SET_ITEM(out, k, value == Py_None ? Py_NewRef(Py_None) : value);
    }
done:
    PyBuffer_Release(&key);
    Py_XDECREF(tables);
    return out;
}

static PyMethodDef methods[] = {
    {"ool_lists", ool_lists, METH_VARARGS, "(ids, weights, starts, ends, counts) of posting lists: see the module's source."},
    {"ool_values", ool_values, METH_VARARGS, "(starts, ends) of some postings' values: see the module's source."},
    {"table_values", table_values, METH_VARARGS, "A key's value in several hashed tables: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_postings", "Posting lists read in C.", -1, methods};

PyMODINIT_FUNC PyInit__postings(void) { return PyModule_Create(&module); }
