import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../auth/principals.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { QueryCallers } from './query-callers';

/** Who is calling the REST, GraphQL and admin APIs; imported by each module with such routes. */
@Module({ imports: [PrincipalsModule, ThrottleModule], providers: [QueryCallers], exports: [QueryCallers] })
export class QueryCallersModule {}
