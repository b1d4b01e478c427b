package dbtool.plugin.mssql.activity;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.QueryPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlServerPlanTest {

    /**
     * A cached plan as sys.dm_exec_text_query_plan returns it (trimmed): a hash join of a
     * clustered index scan of Orders, which costs most, and a seek on Customers; the optimiser's
     * missing-index hint; a spill warning on the join (as a plan with runtime warnings carries it).
     */
    static final String PLAN = """
            <ShowPlanXML xmlns="http://schemas.microsoft.com/sqlserver/2004/07/showplan" Version="1.564" Build="16.0.1000.6">
             <BatchSequence><Batch><Statements>
              <StmtSimple StatementText="SELECT o.Total FROM Orders o JOIN Customers c ON c.Id = o.CustomerId WHERE o.CustomerId = @p"
                          StatementId="1" StatementSubTreeCost="12.5" StatementOptmLevel="FULL">
               <QueryPlan>
                <MissingIndexes>
                 <MissingIndexGroup Impact="91.2">
                  <MissingIndex Database="[shop]" Schema="[dbo]" Table="[Orders]">
                   <ColumnGroup Usage="EQUALITY"><Column Name="[CustomerId]" ColumnId="2"/></ColumnGroup>
                   <ColumnGroup Usage="INCLUDE"><Column Name="[Total]" ColumnId="3"/></ColumnGroup>
                  </MissingIndex>
                 </MissingIndexGroup>
                </MissingIndexes>
                <RelOp NodeId="0" PhysicalOp="Hash Match" LogicalOp="Inner Join" EstimateRows="120" EstimatedTotalSubtreeCost="12.5">
                 <Warnings><SpillToTempDb SpillLevel="2" SpilledThreadCount="1"/></Warnings>
                 <Hash>
                  <RelOp NodeId="1" PhysicalOp="Index Seek" LogicalOp="Index Seek" EstimateRows="1" EstimatedTotalSubtreeCost="0.0032">
                   <IndexScan><Object Database="[shop]" Schema="[dbo]" Table="[Customers]" Index="[PK_Customers]"/></IndexScan>
                  </RelOp>
                  <RelOp NodeId="2" PhysicalOp="Clustered Index Scan" LogicalOp="Clustered Index Scan" EstimateRows="120"
                         EstimatedTotalSubtreeCost="11.9">
                   <IndexScan><Object Database="[shop]" Schema="[dbo]" Table="[Orders]" Index="[PK_Orders]"/></IndexScan>
                  </RelOp>
                 </Hash>
                </RelOp>
               </QueryPlan>
              </StmtSimple>
             </Statements></Batch></BatchSequence>
            </ShowPlanXML>
            """;

    @Test
    void theSummaryPutsTheCostliestOperatorFirstWithTheMissingIndexAndTheSpill() {
        QueryPlan plan = SqlServerPlan.interpret(List.of(row("status", "running", "query_plan", PLAN)));
        assertTrue(plan.available());
        List<String> lines = plan.lines();
        assertEquals("estimated cost 12.5, optimisation FULL", lines.get(0));
        assertEquals("Clustered Index Scan [Orders].[PK_Orders]: cost 11.90 of its own, 120 rows estimated (node 2)", lines.get(1),
                "the scan costs most of its own; the join's subtree includes it");
        assertEquals("Hash Match (Inner Join): cost 0.5968 of its own, 120 rows estimated (node 0)", lines.get(2));
        assertTrue(lines.get(3).startsWith("Index Seek [Customers].[PK_Customers]"), lines.get(3));
        assertTrue(lines.contains("missing index (impact 91.2%): [shop].[dbo].[Orders] equality ([CustomerId]) include ([Total])"), lines.toString());
        assertTrue(lines.contains("warning on Hash Match (node 0): SpillToTempDb (spill level 2)"), lines.toString());
    }

    @Test
    void aSessionWithoutARequestHasNoPlanAndTheViewSaysWhy() {
        QueryPlan plan = SqlServerPlan.interpret(List.of());
        assertFalse(plan.available());
        assertEquals("the session runs no request now: a session that only holds a transaction open has no plan", plan.unavailable());
    }

    @Test
    void aRequestWhosePlanIsNotCachedSaysSo() {
        QueryPlan plan = SqlServerPlan.interpret(List.of(row("status", "suspended", "query_plan", null)));
        assertFalse(plan.available());
        assertTrue(plan.unavailable().startsWith("the request's plan is not in the plan cache"), plan.unavailable());
    }

    @Test
    void theRequestIsNamedByItsNumberOnly() {
        assertTrue(SqlServerPlan.sql(53).contains("WHERE r.session_id = 53"));
    }
}
