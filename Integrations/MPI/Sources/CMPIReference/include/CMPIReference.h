#ifndef CMPI_REFERENCE_H
#define CMPI_REFERENCE_H

/// Seconds taken by `iterations` in-place MPI_Allreduce (MPI_SUM) calls over
/// `count` doubles of `buffer`, on MPI_COMM_WORLD, timed with MPI_Wtime after
/// a barrier.
double cmpi_reference_allreduce_seconds(double *buffer, int count, int iterations);

#endif
