/* Included into every C file of the old-systems build (packaging/build-old-linux.sh): glibc 2.29
   gave exp, exp2, log, log2 and pow new symbol versions (the same functions without the old SVID
   error handling); linking to their first versions instead lets a build on glibc 2.31 run on
   glibc 2.28 (统信UOS 20, 银河麒麟 V10). */
#if defined(__x86_64__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver exp,exp@GLIBC_2.17");
__asm__(".symver exp2,exp2@GLIBC_2.17");
__asm__(".symver log,log@GLIBC_2.17");
__asm__(".symver log2,log2@GLIBC_2.17");
__asm__(".symver pow,pow@GLIBC_2.17");
#endif
