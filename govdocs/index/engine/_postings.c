/* A text field's posting list read in C (`codec.OccTermsReader.postings_ndarrays`).

   A posting list is W3's run of blocks (codec.py, `ool_block_data`): the magic tag, then per
   block its size (big-endian int32, negative for the last), W3's pickled block info (count,
   last document number, greatest weight, compression, least and greatest length bytes) and
   the packed arrays of an out-of-line block. The NumPy route makes a dozen Python and NumPy
   calls a block (~55 µs a posting list at 1 GB, where a query like 省人民政府 reads some 350
   of them); this one walks the blocks once. Same results: the tests compare the two.

   ool_blocks(extent) -> (ids, weights, offsets)
     extent: the posting list's bytes (any buffer), from its magic tag on
     returns three bytearrays of native numbers: the document numbers (int64), the weights
             (float64) and each value's offset in the occurrence file plus, last, the end of
             the last value (int64, one more than the postings);
             None for anything this reader does not know (a pickle opcode other than those
             protocol 2 writes for the block info, a compressed block, a block cut short):
             the caller reads those the NumPy way, which says what is wrong. */

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

static Py_ssize_t scan(const uint8_t *b, Py_ssize_t len, Block *blocks, Py_ssize_t most, int64_t *total) {
    if (len < 4 || memcmp(b, MAGIC, 4) != 0) return -1;
    Py_ssize_t at = 4, k = 0;
    *total = 0;
    for (;;) {
        if (at + 4 > len) return -1;
        int32_t size = (int32_t)((uint32_t)b[at] << 24 | (uint32_t)b[at + 1] << 16 | (uint32_t)b[at + 2] << 8 | b[at + 3]);
        at += 4;
        int64_t magnitude = size < 0 ? -(int64_t)size : size;
        Py_ssize_t end = at + (Py_ssize_t)magnitude;
        if (end > len) return -1;
        int64_t n = -1, compression = -1;
        if (block_info(b, &at, end, &n, &compression) < 0 || n < 1 || compression != 0) return -1;
        if (blocks != NULL) {
            if (k >= most) return -1;
            blocks[k] = (Block){n, at, end};
        }
        *total += n;
        k++;
        at = end;
        if (size < 0) return k;
    }
}

static PyObject *ool_blocks(PyObject *self, PyObject *args) {
    Py_buffer extent;
    if (!PyArg_ParseTuple(args, "y*", &extent)) return NULL;
    PyObject *ids = NULL, *weights = NULL, *offsets = NULL, *out = NULL;
    Block *blocks = NULL;
    const uint8_t *b = extent.buf;
    int64_t total;
    Py_ssize_t count = scan(b, extent.len, NULL, 0, &total);
    if (count < 0 || total > PY_SSIZE_T_MAX / 16) goto unknown;
    blocks = PyMem_Malloc(count * sizeof(Block));
    if (blocks == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    scan(b, extent.len, blocks, count, &total);
    ids = PyByteArray_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(int64_t));
    weights = PyByteArray_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(double));
    offsets = PyByteArray_FromStringAndSize(NULL, (total + 1) * (Py_ssize_t)sizeof(int64_t));
    if (ids == NULL || weights == NULL || offsets == NULL) goto done;
    int64_t *id = (int64_t *)PyByteArray_AS_STRING(ids), *offset = (int64_t *)PyByteArray_AS_STRING(offsets);
    double *weight = (double *)PyByteArray_AS_STRING(weights);
    int64_t end_of_last = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        const uint8_t *d = b + blocks[k].start;
        Py_ssize_t size = blocks[k].end - blocks[k].start;
        int64_t n = blocks[k].n;
        if (size < 9) goto unknown;
        uint8_t flags = d[0];
        int iw = flags & 3, ww = flags >> 2 & 3, sw = flags >> 4 & 3;
        if (iw == FLOAT_WIDTH || sw == FLOAT_WIDTH) goto unknown;
        Py_ssize_t at = flags & WIDE_BASE ? 13 : 9;
        Py_ssize_t at_weights = at + (n - 1) * WIDTHS[iw], at_sizes = at_weights + n * WIDTHS[ww];
        if (size < at || at_sizes + n * WIDTHS[sw] > size) goto unknown;
        int64_t doc = (int64_t)le(d + 1, 4), place = (int64_t)le(d + 5, at - 5);
        for (int64_t j = 0; j < n; j++) {
            if (j) doc += (int64_t)le(d + at + (j - 1) * WIDTHS[iw], WIDTHS[iw]);
            *id++ = doc;
            if (ww == FLOAT_WIDTH) {
                float f;
                uint32_t u = (uint32_t)le(d + at_weights + j * 4, 4);
                memcpy(&f, &u, 4);
                *weight++ = f;
            } else {
                *weight++ = (double)le(d + at_weights + j * WIDTHS[ww], WIDTHS[ww]);
            }
            *offset++ = place;
            place += (int64_t)le(d + at_sizes + j * WIDTHS[sw], WIDTHS[sw]);
        }
        end_of_last = place;
    }
    *offset = end_of_last;
    out = PyTuple_Pack(3, ids, weights, offsets);
    goto done;
unknown:
    out = Py_NewRef(Py_None);
done:
    PyMem_Free(blocks);
    Py_XDECREF(ids);
    Py_XDECREF(weights);
    Py_XDECREF(offsets);
    PyBuffer_Release(&extent);
    return out;
}

static PyMethodDef methods[] = {
    {"ool_blocks", ool_blocks, METH_VARARGS, "(ids, weights, offsets) of a posting list: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_postings", "Posting lists read in C.", -1, methods};

PyMODINIT_FUNC PyInit__postings(void) { return PyModule_Create(&module); }
