#include "CMPIReference.h"
#include <mpi.h>

double cmpi_reference_allreduce_seconds(double *buffer, int count, int iterations) {
  MPI_Barrier(MPI_COMM_WORLD);
  double start = MPI_Wtime();
  for (int i = 0; i < iterations; i++) {
    MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }
  return MPI_Wtime() - start;
}
