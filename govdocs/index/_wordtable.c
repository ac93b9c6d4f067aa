/* A batch of texts' postings made in C from the words jieba cut (`word_table.WordTable`).

   The analysis numbers every word it meets (a `WordTable`: each word's kind, length and the
   terms it gives, with where each sits inside the word). Indexing a batch of texts then means,
   for each text: look its words up, lay out every term occurrence (position, start, end),
   group the occurrences term by term (terms in the order they first occur) and encode each
   term's occurrences as one posting value (occurrences.py). NumPy does it in some forty
   passes over arrays of the whole batch; this walks each text's words once. Same results: the
   tests compare the two, value for value.

   lookup(cuts, ids) -> (numbers, unknown)
     cuts:    a list of lists of words (exact str), one list per text
     ids:     dict word -> its number (an int)
     returns  the number of every word, text after text, as native int64 bytes (-1 for a word
              the dict lacks) and how many were lacking.

   columns(numbers, cuts, lengths, kind, length, first, count, exp_term, exp_start, exp_end,
           terms) -> [(terms, counts, values) per text] or None
     numbers: native int64 buffer, every word's number (none -1), as lookup() gives them
     cuts:    the same lists (only their sizes are read), lengths: each text's length (ints)
     kind:    int8 buffer per word number (0 a term, 1 white space, 2 punctuation); the int64
              buffers' formats must say 8-byte integers (an int32 array is refused)
     length, first, count: int64 buffers per word number (its characters; where its terms start
              in the exp_* buffers and how many it gives)
     exp_term, exp_start, exp_end: int64 buffers, each term a word gives and where it sits
     terms:   the list of terms by number
     returns  per text its terms (str, in first-occurrence order), how often each occurs and
              each one's encoded value (bytes, as occurrences.encode_occurrences encodes it);
              None when some text has no words or its words' lengths do not add up to its own.
     Texts are made one after the other: a text whose values cannot be encoded raises
     (OverflowError) even where a later one would have made the call return None — the NumPy
     route checks every text first; the caller's fallback, the loop, raises the same error.
     Raises ValueError for a word or term number outside the tables, TypeError for lists
     holding other things.

   batch(numbers, cuts, lengths, kind, length, first, count, exp_term, exp_start, exp_end,
         n_terms) -> (pairs, totals, terms, counts, ends, values) or None
     the same postings without a Python object a posting, for `Pool.add_batch` (_bulk.c): the
     arguments as columns' (n_terms: how many terms there are, in place of their list); per
     text the number of its (term, value) pairs and of its occurrences (its field length),
     and per pair, text after text, its term number, how often the term occurs and where its
     value ends in `values` (all native int64 bytes), `values` the encoded values laid end
     to end. None and the errors as columns'. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_POINT 0x10FFFF
#define RAW 1
enum { INDEXED = 0, SPACE = 1 };

static PyObject *lookup(PyObject *self, PyObject *args) {
    PyObject *cuts, *ids;
    if (!PyArg_ParseTuple(args, "O!O!:lookup", &PyList_Type, &cuts, &PyDict_Type, &ids)) return NULL;
    Py_ssize_t n_texts = PyList_GET_SIZE(cuts), total = 0;
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *words = PyList_GET_ITEM(cuts, t);
        if (!PyList_Check(words)) {
            PyErr_SetString(PyExc_TypeError, "each text's words must be a list");
            return NULL;
        }
        total += PyList_GET_SIZE(words);
    }
    PyObject *out = PyByteArray_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(int64_t));
    if (out == NULL) return NULL;
    int64_t *numbers = (int64_t *)PyByteArray_AS_STRING(out);
    Py_ssize_t k = 0, unknown = 0;
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *words = PyList_GET_ITEM(cuts, t);
        Py_ssize_t n = PyList_GET_SIZE(words);
        if (k + n > total) {  /* a list grew meanwhile (nothing here can do it) */
            PyErr_SetString(PyExc_RuntimeError, "the words changed during the look-up");
            Py_DECREF(out);
            return NULL;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            /* exact str words and int numbers: no __hash__, __eq__ or __index__ of ours runs,
               so the list cannot change under us */
            PyObject *word = PyList_GET_ITEM(words, i);
            if (!PyUnicode_CheckExact(word)) {
                PyErr_SetString(PyExc_TypeError, "a word must be a str");
                Py_DECREF(out);
                return NULL;
            }
            PyObject *found = PyDict_GetItemWithError(ids, word);
            if (found == NULL) {
                if (PyErr_Occurred()) { Py_DECREF(out); return NULL; }
                numbers[k++] = -1;
                unknown++;
                continue;
            }
            if (!PyLong_CheckExact(found)) {
                PyErr_SetString(PyExc_TypeError, "a word's number must be an int");
                Py_DECREF(out);
                return NULL;
            }
            long long number = PyLong_AsLongLong(found);
            if (number == -1 && PyErr_Occurred()) { Py_DECREF(out); return NULL; }
            numbers[k++] = number;
        }
    }
    return Py_BuildValue("(Nn)", out, unknown);
}

/* -- posting values --------------------------------------------------------------------- */

static inline char *put(char *o, uint32_t c) {  /* one code point as UTF-8 (surrogates pass) */
    if (c < 0x80) { *o++ = (char)c; return o; }
    if (c < 0x800) { *o++ = (char)(0xC0 | (c >> 6)); *o++ = (char)(0x80 | (c & 0x3F)); return o; }
    if (c < 0x10000) {
        *o++ = (char)(0xE0 | (c >> 12)); *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
        return o;
    }
    *o++ = (char)(0xF0 | (c >> 18)); *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
    *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F));
    return o;
}

typedef struct { int64_t pos, start, end; } Occ;

/* the value of n occurrences (`encode_occurrences`), written to `buf` (room for 4 + 6n code
   points of 4 bytes); its length, or -1 with an exception set */
static Py_ssize_t encode(const Occ *occ, Py_ssize_t n, char *buf) {
    int64_t low = 0, high = 0, p0 = 0, g0 = 0, span = occ[0].end - occ[0].start;
    int same = 1;
    for (Py_ssize_t j = 0; j < n; j++) {
        int64_t gap = occ[j].start - occ[j].pos, dp = occ[j].pos - p0, dg = gap - g0;
        int64_t s = occ[j].end - occ[j].start;
        p0 = occ[j].pos;
        g0 = gap;
        if (dp < low) low = dp;
        if (dg < low) low = dg;
        if (s < low) low = s;
        if (dp > high) high = dp;
        if (dg > high) high = dg;
        if (s > high) high = s;
        same &= s == span;
    }
    char *o = buf;
    if (low < 0 || high > MAX_POINT) {  /* raw: 0, 1, then n and each number as (high, low 16 bits) */
        o = put(o, 0);
        o = put(o, RAW);
        for (Py_ssize_t j = -1; j < n; j++) {
            int64_t three[3] = {n, 0, 0};
            if (j >= 0) { three[0] = occ[j].pos; three[1] = occ[j].start; three[2] = occ[j].end; }
            for (int m = 0; m < (j < 0 ? 1 : 3); m++) {
                if (three[m] < 0 || three[m] > 0xFFFFFFFFLL) {
                    PyErr_SetString(PyExc_OverflowError, "an occurrence outside 0..2**32-1");
                    return -1;
                }
                o = put(o, (uint32_t)(three[m] >> 16));
                o = put(o, (uint32_t)(three[m] & 0xFFFF));
            }
        }
        return o - buf;
    }
    if (n > MAX_POINT) {  /* chr(n) refuses it in Python's encoder too */
        PyErr_SetString(PyExc_ValueError, "more occurrences than a code point holds");
        return -1;
    }
    if (!same || span == 0) span = 0;
    o = put(o, (uint32_t)n);
    o = put(o, (uint32_t)span);
    p0 = g0 = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        int64_t gap = occ[j].start - occ[j].pos;
        o = put(o, (uint32_t)(occ[j].pos - p0));
        o = put(o, (uint32_t)(gap - g0));
        p0 = occ[j].pos;
        g0 = gap;
    }
    if (span == 0)
        for (Py_ssize_t j = 0; j < n; j++) o = put(o, (uint32_t)(occ[j].end - occ[j].start));
    return o - buf;
}

/* -- columns ---------------------------------------------------------------------------- */

typedef struct {
    Py_buffer numbers, kind, length, first, count, exp_term, exp_start, exp_end;
} Tables;

static void release(Tables *t) {
    Py_buffer *all[] = {&t->numbers, &t->kind, &t->length, &t->first, &t->count, &t->exp_term, &t->exp_start,
                        &t->exp_end};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i]->obj != NULL) PyBuffer_Release(all[i]);
}

static inline Py_ssize_t least(Py_ssize_t a, Py_ssize_t b) { return a < b ? a : b; }

/* a C-contiguous buffer of `obj` holding integers of `itemsize` bytes (its format says so:
   an int32 or float64 array of the right byte length is refused), aligned for them (a view
   that starts between two is refused: reading it would be undefined); 0 with an exception */
static int typed(PyObject *obj, Py_buffer *b, const char *name, Py_ssize_t itemsize) {
    if (PyObject_GetBuffer(obj, b, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return 0;
    const char *f = b->format ? b->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    int integer = f[0] != '\0' && f[1] == '\0' && strchr(itemsize == 1 ? "bB" : "qQlL", f[0]) != NULL;
    if (!integer || b->itemsize != itemsize || (b->len && (uintptr_t)b->buf % (uintptr_t)itemsize)) {
        PyErr_Format(PyExc_ValueError, "%s must hold aligned %zd-byte integers", name, itemsize);
        PyBuffer_Release(b);
        b->obj = NULL;
        return 0;
    }
    return 1;
}

typedef struct {  /* the growing scratch space of one call */
    Occ *occ, *grouped;
    int64_t *term;
    Py_ssize_t cap;
    char *buf;
    Py_ssize_t buf_cap;
} Scratch;

static int room(Scratch *s, Py_ssize_t need) {
    if (need <= s->cap) return 1;
    if (need > PY_SSIZE_T_MAX / 2 / (Py_ssize_t)sizeof(Occ)) {  /* the doubling below would overflow */
        PyErr_NoMemory();
        return 0;
    }
    Py_ssize_t cap = s->cap ? s->cap : 1024;
    while (cap < need) cap *= 2;
    Occ *occ = PyMem_Realloc(s->occ, cap * sizeof(Occ));
    if (occ) s->occ = occ;
    Occ *grouped = occ ? PyMem_Realloc(s->grouped, cap * sizeof(Occ)) : NULL;
    if (grouped) s->grouped = grouped;
    int64_t *term = grouped ? PyMem_Realloc(s->term, cap * sizeof(int64_t)) : NULL;
    if (term == NULL) { PyErr_NoMemory(); return 0; }
    s->term = term;
    s->cap = cap;
    return 1;
}

/* a text's m occurrences (s->term, s->occ) grouped term by term, terms in the order of their
   first occurrence, into s->grouped: the number of groups; group g's term is group_term[g] and
   its occurrences end at group_start[g]. `slot` (a group number per term, -1 for none) is
   left set for the groups' terms: `unslot` clears it. */
static Py_ssize_t group_text(Scratch *s, Py_ssize_t m, int64_t *slot, int64_t *group_term, int64_t *group_start) {
    Py_ssize_t groups = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t t = s->term[i];
        if (slot[t] < 0) {
            slot[t] = groups;
            group_term[groups] = t;
            group_start[groups++] = 0;
        }
        group_start[slot[t]]++;  /* counts, for now */
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t g = 0; g < groups; g++) {  /* counts -> where each group starts */
        Py_ssize_t c = group_start[g];
        group_start[g] = at;
        at += c;
    }
    for (Py_ssize_t i = 0; i < m; i++) s->grouped[group_start[slot[s->term[i]]]++] = s->occ[i];
    /* group_start[g] is now where group g ends */
    return groups;
}

static void unslot(int64_t *slot, const int64_t *group_term, Py_ssize_t groups) {
    for (Py_ssize_t g = 0; g < groups; g++) slot[group_term[g]] = -1;
}

/* the value of the grouped occurrences [begin, end) encoded into s->buf: its size, or -1
   with an exception set */
static Py_ssize_t encode_group(Scratch *s, Py_ssize_t begin, Py_ssize_t end) {
    Py_ssize_t n = end - begin, need = 4 * (4 + 6 * n);
    if (need > s->buf_cap) {
        char *buf = PyMem_Realloc(s->buf, need);
        if (buf == NULL) { PyErr_NoMemory(); return -1; }
        s->buf = buf;
        s->buf_cap = need;
    }
    return encode(s->grouped + begin, n, s->buf);
}

/* one text's (terms, counts, values) */
static PyObject *text_columns(Scratch *s, Py_ssize_t m, PyObject *terms, int64_t *slot, int64_t *group_term,
                              int64_t *group_start) {
    Py_ssize_t groups = group_text(s, m, slot, group_term, group_start);
    PyObject *names = PyList_New(groups), *counts = PyList_New(groups), *values = PyList_New(groups);
    PyObject *result = NULL;
    if (!names || !counts || !values) goto done;
    Py_ssize_t begin = 0;
    for (Py_ssize_t g = 0; g < groups; g++) {
        Py_ssize_t n = group_start[g] - begin;
        Py_ssize_t size = encode_group(s, begin, group_start[g]);
        if (size < 0) goto done;
        PyObject *value = PyBytes_FromStringAndSize(s->buf, size), *count = PyLong_FromSsize_t(n);
        if (!value || !count) { Py_XDECREF(value); Py_XDECREF(count); goto done; }
        PyObject *name = PyList_GET_ITEM(terms, group_term[g]);
        Py_INCREF(name);
        PyList_SET_ITEM(names, g, name);
        PyList_SET_ITEM(counts, g, count);
        PyList_SET_ITEM(values, g, value);
        begin = group_start[g];
    }
    result = PyTuple_Pack(3, names, counts, values);
done:
    unslot(slot, group_term, groups);
    Py_XDECREF(names);
    Py_XDECREF(counts);
    Py_XDECREF(values);
    return result;
}


/* the growing outputs of `batch` */
typedef struct { char *p; Py_ssize_t used, cap; } Buf;

static int buf_put(Buf *b, const void *src, Py_ssize_t n) {
    if (b->used + n > b->cap) {
        if (b->used + n > PY_SSIZE_T_MAX / 2) { PyErr_NoMemory(); return 0; }
        Py_ssize_t cap = b->cap ? b->cap : 4096;
        while (cap < b->used + n) cap *= 2;
        char *p = PyMem_Realloc(b->p, cap);
        if (p == NULL) { PyErr_NoMemory(); return 0; }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->used, src, n);
    b->used += n;
    return 1;
}

typedef struct { Buf pairs, totals, terms, counts, ends, values; } Batch;

/* one text's groups appended to the batch: its number of pairs and of occurrences, each
   pair's term, count and value end; 0 with an exception */
static int text_batch(Scratch *s, Py_ssize_t m, Batch *out, int64_t *slot, int64_t *group_term,
                      int64_t *group_start) {
    Py_ssize_t groups = group_text(s, m, slot, group_term, group_start);
    int ok = 0;
    int64_t pairs = groups, total = m;
    if (!buf_put(&out->pairs, &pairs, sizeof pairs) || !buf_put(&out->totals, &total, sizeof total)) goto done;
    Py_ssize_t begin = 0;
    for (Py_ssize_t g = 0; g < groups; g++) {
        Py_ssize_t size = encode_group(s, begin, group_start[g]);
        if (size < 0 || !buf_put(&out->values, s->buf, size)) goto done;
        int64_t count = group_start[g] - begin, end = out->values.used;
        if (!buf_put(&out->terms, &group_term[g], sizeof(int64_t)) || !buf_put(&out->counts, &count, sizeof count)
            || !buf_put(&out->ends, &end, sizeof end))
            goto done;
        begin = group_start[g];
    }
    ok = 1;
done:
    unslot(slot, group_term, groups);
    return ok;
}

static PyObject *bytes_of(Buf *b) { return PyBytes_FromStringAndSize(b->p ? b->p : "", b->used); }

/* `columns` (lists a text) or `batch` (one set of buffers) */
static PyObject *walk(PyObject *args, int batch) {
    PyObject *numbers_obj, *cuts, *lengths, *terms = NULL, *kind_obj, *length_obj, *first_obj, *count_obj,
        *term_obj, *start_obj, *end_obj;
    Py_ssize_t n_terms = 0;
    Tables tb;
    memset(&tb, 0, sizeof tb);
    if (batch ? !PyArg_ParseTuple(args, "OO!O!OOOOOOOn:batch", &numbers_obj, &PyList_Type, &cuts, &PyList_Type,
                                  &lengths, &kind_obj, &length_obj, &first_obj, &count_obj, &term_obj, &start_obj,
                                  &end_obj, &n_terms)
              : !PyArg_ParseTuple(args, "OO!O!OOOOOOOO!:columns", &numbers_obj, &PyList_Type, &cuts, &PyList_Type,
                                  &lengths, &kind_obj, &length_obj, &first_obj, &count_obj, &term_obj, &start_obj,
                                  &end_obj, &PyList_Type, &terms))
        return NULL;
    if (n_terms < 0) {
        PyErr_SetString(PyExc_ValueError, "a negative number of terms");
        return NULL;
    }
    PyObject *out = NULL;
    Batch bt;
    memset(&bt, 0, sizeof bt);
    Scratch s = {0};
    int64_t *slot = NULL, *group_term = NULL, *group_start = NULL;
    Py_ssize_t *text_words = NULL, *text_lengths = NULL;
    int gc_was = 0;
    if (!typed(numbers_obj, &tb.numbers, "numbers", 8) || !typed(kind_obj, &tb.kind, "kind", 1)
        || !typed(length_obj, &tb.length, "length", 8) || !typed(first_obj, &tb.first, "first", 8)
        || !typed(count_obj, &tb.count, "count", 8) || !typed(term_obj, &tb.exp_term, "exp_term", 8)
        || !typed(start_obj, &tb.exp_start, "exp_start", 8) || !typed(end_obj, &tb.exp_end, "exp_end", 8))
        goto done;
    const int64_t *numbers = tb.numbers.buf, *length = tb.length.buf, *first = tb.first.buf, *count = tb.count.buf;
    const int64_t *exp_term = tb.exp_term.buf, *exp_start = tb.exp_start.buf, *exp_end = tb.exp_end.buf;
    const int8_t *kind = tb.kind.buf;
    /* the word numbers every per-word table covers, the places every exp_* table covers */
    Py_ssize_t n_numbers = tb.numbers.len / 8;
    Py_ssize_t n_words = least(tb.kind.len, least(tb.length.len, least(tb.first.len, tb.count.len)) / 8);
    Py_ssize_t n_exp = least(tb.exp_term.len, least(tb.exp_start.len, tb.exp_end.len)) / 8;
    Py_ssize_t n_texts = PyList_GET_SIZE(cuts);
    if (PyList_GET_SIZE(lengths) != n_texts) {
        PyErr_SetString(PyExc_ValueError, "one length a text");
        goto done;
    }
    /* the collector off while this runs: the objects made below could start it, and its
       Python code change the lists read here, the terms included; the sizes and lengths are
       read and checked first, before anything is made */
    gc_was = PyGC_Disable();
    text_words = PyMem_Malloc((n_texts ? n_texts : 1) * sizeof(Py_ssize_t));
    text_lengths = PyMem_Malloc((n_texts ? n_texts : 1) * sizeof(Py_ssize_t));
    if (!text_words || !text_lengths) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *words = PyList_GET_ITEM(cuts, t), *text_length = PyList_GET_ITEM(lengths, t);
        if (!PyList_Check(words) || !PyLong_CheckExact(text_length)) {
            PyErr_SetString(PyExc_TypeError, "each text's words must be a list, its length an int");
            goto done;
        }
        text_words[t] = PyList_GET_SIZE(words);
        text_lengths[t] = PyLong_AsSsize_t(text_length);
        if (text_lengths[t] == -1 && PyErr_Occurred()) goto done;
    }
    if (!batch) n_terms = PyList_GET_SIZE(terms);
    if (n_terms > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(int64_t)) {  /* the size below would wrap round */
        PyErr_SetString(PyExc_OverflowError, "more terms than memory holds");
        goto done;
    }
    slot = PyMem_Malloc((n_terms ? n_terms : 1) * sizeof(int64_t));
    if (slot == NULL) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t t = 0; t < n_terms; t++) slot[t] = -1;
    if (!batch && (out = PyList_New(n_texts)) == NULL) goto done;
    Py_ssize_t k = 0, group_cap = 0;
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        Py_ssize_t n = text_words[t], text_length = text_lengths[t];
        if (n < 1 || k + n > n_numbers) {  /* no words, or fewer numbers than words: never adds up */
            if (n >= 1) { PyErr_SetString(PyExc_ValueError, "fewer numbers than words"); goto fail; }
            goto none;
        }
        int64_t at = 0, white = 0;
        Py_ssize_t m = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t w = numbers[k++];
            if (w < 0 || w >= n_words) {
                PyErr_Format(PyExc_ValueError, "word number %lld outside the table", (long long)w);
                goto fail;
            }
            if (length[w] < 0 || length[w] > text_length - at) goto none;  /* past its text: never adds up */
            if (kind[w] == SPACE) white += length[w];
            else if (kind[w] == INDEXED) {
                int64_t e0 = first[w];
                if (e0 < 0 || count[w] < 0 || e0 > n_exp || count[w] > n_exp - e0) {  /* no overflow */
                    PyErr_SetString(PyExc_ValueError, "a word's terms outside the table");
                    goto fail;
                }
                int64_t e1 = e0 + count[w];
                if (!room(&s, m + (e1 - e0))) goto fail;
                for (int64_t e = e0; e < e1; e++) {
                    if (exp_term[e] < 0 || exp_term[e] >= n_terms) {
                        PyErr_Format(PyExc_ValueError, "term number %lld outside the terms", (long long)exp_term[e]);
                        goto fail;
                    }
                    s.term[m] = exp_term[e];
                    /* a table's places are small; wrapping arithmetic all the same (no
                       signed overflow), the encoder refuses what does not fit */
                    s.occ[m].pos = (int64_t)((uint64_t)at - (uint64_t)white + (uint64_t)exp_start[e]);
                    s.occ[m].start = (int64_t)((uint64_t)at + (uint64_t)exp_start[e]);
                    s.occ[m].end = (int64_t)((uint64_t)at + (uint64_t)exp_end[e]);
                    if ((uint64_t)s.occ[m].pos > 0xFFFFFFFFULL || (uint64_t)s.occ[m].start > 0xFFFFFFFFULL
                        || (uint64_t)s.occ[m].end > 0xFFFFFFFFULL) {  /* as encode_occurrences refuses it */
                        PyErr_SetString(PyExc_OverflowError, "an occurrence outside 0..2**32-1");
                        goto fail;
                    }
                    m++;
                }
            }
            at += length[w];
        }
        if (at != text_length) goto none;
        if (m > group_cap) {
            PyMem_Free(group_term);
            PyMem_Free(group_start);
            group_cap = m;
            group_term = PyMem_Malloc(m * sizeof(int64_t));
            group_start = PyMem_Malloc(m * sizeof(int64_t));
            if (!group_term || !group_start) { PyErr_NoMemory(); goto fail; }
        }
        if (batch) {
            if (!text_batch(&s, m, &bt, slot, group_term, group_start)) goto fail;
            continue;
        }
        PyObject *text = text_columns(&s, m, terms, slot, group_term, group_start);
        if (text == NULL) goto fail;
        PyList_SET_ITEM(out, t, text);
    }
    if (batch) {
        PyObject *made[6] = {bytes_of(&bt.pairs), bytes_of(&bt.totals), bytes_of(&bt.terms), bytes_of(&bt.counts),
                             bytes_of(&bt.ends), bytes_of(&bt.values)};
        if (made[0] && made[1] && made[2] && made[3] && made[4] && made[5])
            out = PyTuple_Pack(6, made[0], made[1], made[2], made[3], made[4], made[5]);
        for (int i = 0; i < 6; i++) Py_XDECREF(made[i]);
    }
    goto done;
none:
    Py_CLEAR(out);
    out = Py_None;
    Py_INCREF(out);
    goto done;
fail:
    Py_CLEAR(out);
done:
    if (gc_was) PyGC_Enable();
    PyMem_Free(text_words);
    PyMem_Free(text_lengths);
    PyMem_Free(slot);
    PyMem_Free(group_term);
    PyMem_Free(group_start);
    PyMem_Free(s.occ);
    PyMem_Free(s.grouped);
    PyMem_Free(s.term);
    PyMem_Free(s.buf);
    Buf *bufs[] = {&bt.pairs, &bt.totals, &bt.terms, &bt.counts, &bt.ends, &bt.values};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) PyMem_Free(bufs[i]->p);
    release(&tb);
    return out;
}

static PyObject *columns(PyObject *self, PyObject *args) { return walk(args, 0); }

static PyObject *batch(PyObject *self, PyObject *args) { return walk(args, 1); }

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_VARARGS, "The number of every word of the texts (-1 where unknown), and how many were unknown."},
    {"columns", columns, METH_VARARGS, "Each text's terms, their counts and encoded values, or None."},
    {"batch", batch, METH_VARARGS, "The texts' postings in six buffers (pairs and totals a text, terms, counts, value ends, values), or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_wordtable", NULL, -1, methods};

PyMODINIT_FUNC PyInit__wordtable(void) { return PyModule_Create(&module); }
