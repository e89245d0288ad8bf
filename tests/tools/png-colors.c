/*
 * png-colors.c - how many pixels of a PNG have a given colour: what the
 * status page test reads from Chromium's screenshot (a failing host's red
 * badge is on the screen, or it is not).
 *
 *   png-colors FILE RRGGBB [TOLERANCE]
 *
 * Prints "WIDTHxHEIGHT N" (N: pixels within TOLERANCE, default 8, of the
 * colour in each channel).  Reads 8-bit RGB and RGBA, non-interlaced (what
 * Chromium writes); anything else exits 2.  The file is a test's own.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8
           | p[3];
}

static int
paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int
main(int argc, char **argv)
{
    unsigned char *file, *idat = NULL, *raw, *zero, *prev, *cur;
    unsigned long  want, tol = 8, count = 0;
    uint32_t       w = 0, h = 0, len;
    size_t         size, pos = 8, nidat = 0, stride, x, y;
    uLongf         rawlen;
    int            bpp = 0, ch, r, g, b;
    FILE          *f;

    if (argc < 3) {
        fprintf(stderr, "usage: png-colors FILE RRGGBB [TOLERANCE]\n");
        return 2;
    }
    want = strtoul(argv[2], NULL, 16);
    if (argc > 3) {
        tol = strtoul(argv[3], NULL, 10);
    }
    f = fopen(argv[1], "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
        perror(argv[1]);
        return 2;
    }
    size = (size_t) ftell(f);
    rewind(f);
    file = malloc(size);
    if (file == NULL || fread(file, 1, size, f) != size || size < 8
        || memcmp(file, "\x89PNG\r\n\x1a\n", 8) != 0)
    {
        fprintf(stderr, "%s: not a PNG\n", argv[1]);
        return 2;
    }
    fclose(f);
    while (pos + 12 <= size) {
        len = be32(file + pos);
        if (len > size - pos - 12) {
            break;
        }
        if (memcmp(file + pos + 4, "IHDR", 4) == 0 && len >= 13) {
            w = be32(file + pos + 8);
            h = be32(file + pos + 12);
            if (file[pos + 16] != 8 || file[pos + 20] != 0
                || (file[pos + 17] != 2 && file[pos + 17] != 6))
            {
                fprintf(stderr, "%s: only 8-bit RGB(A), not interlaced\n",
                        argv[1]);
                return 2;
            }
            bpp = file[pos + 17] == 6 ? 4 : 3;
        } else if (memcmp(file + pos + 4, "IDAT", 4) == 0) {
            idat = realloc(idat, nidat + len);
            memcpy(idat + nidat, file + pos + 8, len);
            nidat += len;
        }
        pos += 12 + len;
    }
    if (bpp == 0 || w == 0 || h == 0 || w > 20000 || h > 20000) {
        fprintf(stderr, "%s: no image header\n", argv[1]);
        return 2;
    }
    stride = (size_t) w * bpp;
    rawlen = (uLongf) ((stride + 1) * h);
    raw = malloc(rawlen);
    zero = calloc(stride, 1);          /* the row above the first */
    prev = zero;
    if (raw == NULL || prev == NULL
        || uncompress(raw, &rawlen, idat, nidat) != Z_OK
        || rawlen != (stride + 1) * h)
    {
        fprintf(stderr, "%s: bad image data\n", argv[1]);
        return 2;
    }
    for (y = 0; y < h; y++) {
        cur = raw + y * (stride + 1) + 1;
        for (x = 0; x < stride; x++) {
            int a = x >= (size_t) bpp ? cur[x - bpp] : 0;
            int up = prev[x];
            int c = x >= (size_t) bpp ? prev[x - bpp] : 0;

            switch (cur[-1]) {
            case 0:
                break;
            case 1:
                cur[x] = (unsigned char) (cur[x] + a);
                break;
            case 2:
                cur[x] = (unsigned char) (cur[x] + up);
                break;
            case 3:
                cur[x] = (unsigned char) (cur[x] + (a + up) / 2);
                break;
            case 4:
                cur[x] = (unsigned char) (cur[x] + paeth(a, up, c));
                break;
            default:
                fprintf(stderr, "%s: bad filter\n", argv[1]);
                return 2;
            }
        }
        for (x = 0; x < w; x++) {
            r = cur[x * bpp];
            g = cur[x * bpp + 1];
            b = cur[x * bpp + 2];
            ch = abs(r - (int) (want >> 16 & 0xff)) <= (int) tol
                 && abs(g - (int) (want >> 8 & 0xff)) <= (int) tol
                 && abs(b - (int) (want & 0xff)) <= (int) tol;
            count += (unsigned long) ch;
        }
        prev = cur;
    }
    printf("%ux%u %lu\n", w, h, count);
    free(zero);
    free(raw);
    free(idat);
    free(file);
    return 0;
}
