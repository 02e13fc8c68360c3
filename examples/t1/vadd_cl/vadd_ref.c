/* The reference implementation the OpenCL configurations are checked
 * against: plain C, run once on the CPU. */
void vadd_ref(const float *a, const float *b, float *c, int n);

void vadd_ref(const float *a, const float *b, float *c, int n) {
  for (int i = 0; i < n; i++)
    c[i] = a[i] + b[i];
}
