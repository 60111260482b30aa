package ddl

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

func (c *converter) exprs(ns []*pg.Node) []*Expr {
	out := make([]*Expr, 0, len(ns))
	for _, n := range ns {
		out = append(out, c.expr(n))
	}
	return out
}

// expr converts an expression. What is not modelled becomes ExprOther; its
// text is still available at the top level.
func (c *converter) expr(n *pg.Node) *Expr {
	if n == nil {
		return nil
	}
	switch v := n.Node.(type) {
	case *pg.Node_ColumnRef:
		e := &Expr{Kind: ExprColumn, Names: stringList(v.ColumnRef.Fields), Pos: c.pos(v.ColumnRef.Location)}
		if k := len(e.Names); k > 0 && e.Names[k-1] == "*" {
			e.Star = true
			e.Names = e.Names[:k-1]
		}
		return e
	case *pg.Node_AConst:
		return c.constExpr(v.AConst)
	case *pg.Node_ParamRef:
		return &Expr{Kind: ExprParam, Value: strconv.Itoa(int(v.ParamRef.Number)), Pos: c.pos(v.ParamRef.Location)}
	case *pg.Node_AExpr:
		return c.aExpr(v.AExpr)
	case *pg.Node_BoolExpr:
		kind := map[pg.BoolExprType]ExprKind{pg.BoolExprType_AND_EXPR: ExprAnd, pg.BoolExprType_OR_EXPR: ExprOr, pg.BoolExprType_NOT_EXPR: ExprNot}[v.BoolExpr.Boolop]
		return &Expr{Kind: kind, Args: c.exprs(v.BoolExpr.Args), Pos: c.pos(v.BoolExpr.Location)}
	case *pg.Node_FuncCall:
		f := v.FuncCall
		return &Expr{Kind: ExprFunc, Names: stringList(f.Funcname), Args: c.exprs(f.Args), Star: f.AggStar, Pos: c.pos(f.Location)}
	case *pg.Node_TypeCast:
		return &Expr{Kind: ExprCast, Args: []*Expr{c.expr(v.TypeCast.Arg)}, Type: c.typeName(v.TypeCast.TypeName), Pos: c.pos(v.TypeCast.Location)}
	case *pg.Node_NullTest:
		return &Expr{Kind: ExprNullTest, Args: []*Expr{c.expr(v.NullTest.Arg)}, Not: v.NullTest.Nulltesttype == pg.NullTestType_IS_NOT_NULL, Pos: c.pos(v.NullTest.Location)}
	case *pg.Node_BooleanTest:
		t := v.BooleanTest.Booltesttype
		name := map[pg.BoolTestType]string{
			pg.BoolTestType_IS_TRUE: "true", pg.BoolTestType_IS_NOT_TRUE: "true",
			pg.BoolTestType_IS_FALSE: "false", pg.BoolTestType_IS_NOT_FALSE: "false",
			pg.BoolTestType_IS_UNKNOWN: "unknown", pg.BoolTestType_IS_NOT_UNKNOWN: "unknown",
		}[t]
		not := t == pg.BoolTestType_IS_NOT_TRUE || t == pg.BoolTestType_IS_NOT_FALSE || t == pg.BoolTestType_IS_NOT_UNKNOWN
		return &Expr{Kind: ExprBoolTest, Names: []string{name}, Not: not, Args: []*Expr{c.expr(v.BooleanTest.Arg)}, Pos: c.pos(v.BooleanTest.Location)}
	case *pg.Node_AArrayExpr:
		return &Expr{Kind: ExprArray, Args: c.exprs(v.AArrayExpr.Elements), Pos: c.pos(v.AArrayExpr.Location)}
	case *pg.Node_RowExpr:
		return &Expr{Kind: ExprRow, Args: c.exprs(v.RowExpr.Args), Pos: c.pos(v.RowExpr.Location)}
	case *pg.Node_CaseExpr:
		return &Expr{Kind: ExprCase, Pos: c.pos(v.CaseExpr.Location)}
	case *pg.Node_CoalesceExpr:
		return &Expr{Kind: ExprCoalesce, Args: c.exprs(v.CoalesceExpr.Args), Pos: c.pos(v.CoalesceExpr.Location)}
	case *pg.Node_MinMaxExpr:
		name := "greatest"
		if v.MinMaxExpr.Op == pg.MinMaxOp_IS_LEAST {
			name = "least"
		}
		return &Expr{Kind: ExprMinMax, Names: []string{name}, Args: c.exprs(v.MinMaxExpr.Args), Pos: c.pos(v.MinMaxExpr.Location)}
	case *pg.Node_SqlvalueFunction:
		return &Expr{Kind: ExprSQLValue, Names: []string{sqlValueName(v.SqlvalueFunction.Op)}, Pos: c.pos(v.SqlvalueFunction.Location)}
	case *pg.Node_CollateClause:
		return &Expr{Kind: ExprCollate, Args: []*Expr{c.expr(v.CollateClause.Arg)}, Names: stringList(v.CollateClause.Collname), Pos: c.pos(v.CollateClause.Location)}
	case *pg.Node_SubLink:
		s := v.SubLink
		kind := strings.ToLower(strings.TrimSuffix(s.SubLinkType.String(), "_SUBLINK"))
		e := &Expr{Kind: ExprSubquery, Names: []string{kind}, Query: c.query(s.Subselect), Pos: c.pos(s.Location)}
		if s.Testexpr != nil {
			e.Args = []*Expr{c.expr(s.Testexpr)}
		}
		return e
	case *pg.Node_AIndirection:
		return &Expr{Kind: ExprIndirection, Args: []*Expr{c.expr(v.AIndirection.Arg)}, Names: stringList(v.AIndirection.Indirection)}
	case *pg.Node_List:
		return &Expr{Kind: ExprRow, Args: c.exprs(v.List.Items)}
	}
	return &Expr{Kind: ExprOther}
}

func (c *converter) constExpr(a *pg.A_Const) *Expr {
	e := &Expr{Kind: ExprConst, Pos: c.pos(a.Location)}
	if a.Isnull {
		e.Const = ConstNull
		return e
	}
	switch v := a.Val.(type) {
	case *pg.A_Const_Ival:
		e.Const, e.Value = ConstInt, strconv.FormatInt(int64(v.Ival.Ival), 10)
	case *pg.A_Const_Fval:
		// Integers too large for int4 arrive as floats; keep them as integers.
		e.Const, e.Value = ConstFloat, v.Fval.Fval
		if isDigits(e.Value) {
			e.Const = ConstInt
		}
	case *pg.A_Const_Sval:
		e.Const, e.Value = ConstString, v.Sval.Sval
	case *pg.A_Const_Boolval:
		e.Const, e.Value = ConstBool, strconv.FormatBool(v.Boolval.Boolval)
	case *pg.A_Const_Bsval:
		e.Const, e.Value = ConstBits, v.Bsval.Bsval
	default:
		e.Const = ConstNull
	}
	return e
}

func isDigits(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (c *converter) aExpr(a *pg.A_Expr) *Expr {
	e := &Expr{Names: stringList(a.Name), Pos: c.pos(a.Location)}
	left, right := c.expr(a.Lexpr), c.expr(a.Rexpr)
	two := func() []*Expr {
		if left == nil {
			return []*Expr{right}
		}
		return []*Expr{left, right}
	}
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP, pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE, pg.A_Expr_Kind_AEXPR_SIMILAR:
		e.Kind = ExprOp
		e.Args = two()
	case pg.A_Expr_Kind_AEXPR_OP_ANY:
		e.Kind = ExprOpAny
		e.Args = two()
	case pg.A_Expr_Kind_AEXPR_OP_ALL:
		e.Kind = ExprOpAll
		e.Args = two()
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		e.Kind = ExprDistinct
		e.Not = a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT
		e.Args = two()
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		e.Kind = ExprNullIf
		e.Args = two()
	case pg.A_Expr_Kind_AEXPR_IN:
		e.Kind = ExprIn
		e.Not = len(e.Names) == 1 && e.Names[0] == "<>"
		e.Args = append([]*Expr{left}, right.Args...)
		if right.Kind != ExprRow {
			e.Args = []*Expr{left, right}
		}
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		e.Kind = ExprBetween
		e.Not = a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM
		e.Args = append([]*Expr{left}, right.Args...)
	default:
		e.Kind = ExprOther
	}
	return e
}

func sqlValueName(op pg.SQLValueFunctionOp) string {
	switch op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return "current_date"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return "current_time"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return "current_timestamp"
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return "localtime"
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return "localtimestamp"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return "current_role"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		return "current_user"
	case pg.SQLValueFunctionOp_SVFOP_USER:
		return "user"
	case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return "session_user"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return "current_catalog"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return "current_schema"
	}
	return ""
}

// query converts a SELECT (or VALUES, or a set operation).
func (c *converter) query(n *pg.Node) *Query {
	s := n.GetSelectStmt()
	if s == nil {
		return &Query{}
	}
	q := &Query{}
	if s.WithClause != nil {
		for _, w := range s.WithClause.Ctes {
			cte := w.GetCommonTableExpr()
			if cte == nil {
				continue
			}
			q.With = append(q.With, &CTE{Name: cte.Ctename, Columns: stringList(cte.Aliascolnames), Query: c.query(cte.Ctequery)})
		}
	}
	if s.Op != pg.SetOperation_SETOP_NONE && s.Op != pg.SetOperation_SET_OPERATION_UNDEFINED {
		q.SetOp = strings.ToLower(strings.TrimPrefix(s.Op.String(), "SETOP_"))
		q.Left, q.Right = c.query(&pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: s.Larg}}), c.query(&pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: s.Rarg}})
		return q
	}
	for _, row := range s.ValuesLists {
		q.Values = append(q.Values, c.exprs(row.GetList().GetItems()))
	}
	for _, t := range s.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			names := stringList(cr.Fields)
			q.Targets = append(q.Targets, &Target{Star: true, StarOf: names[:len(names)-1]})
			continue
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		e := c.expr(rt.Val)
		q.Targets = append(q.Targets, &Target{Name: name, Expr: e})
	}
	for _, f := range s.FromClause {
		q.From = append(q.From, c.fromItem(f))
	}
	q.Where = c.expr(s.WhereClause)
	return q
}

func (c *converter) fromItem(n *pg.Node) *FromItem {
	switch v := n.Node.(type) {
	case *pg.Node_RangeVar:
		name := rangeVarName(v.RangeVar)
		f := &FromItem{Rel: &name}
		setAlias(f, v.RangeVar.Alias)
		return f
	case *pg.Node_RangeSubselect:
		f := &FromItem{Sub: c.query(v.RangeSubselect.Subquery)}
		setAlias(f, v.RangeSubselect.Alias)
		return f
	case *pg.Node_RangeFunction:
		rf := v.RangeFunction
		f := &FromItem{}
		if len(rf.Functions) == 1 {
			items := rf.Functions[0].GetList().GetItems()
			if len(items) > 0 {
				f.Func = c.expr(items[0])
			}
			if len(items) > 1 {
				for _, d := range items[1].GetList().GetItems() {
					f.FuncColumns = append(f.FuncColumns, c.columnDef(d.GetColumnDef()))
				}
			}
		}
		for _, d := range rf.Coldeflist {
			f.FuncColumns = append(f.FuncColumns, c.columnDef(d.GetColumnDef()))
		}
		if f.Func == nil {
			f.Func = &Expr{Kind: ExprOther}
		}
		f.Ordinality = rf.Ordinality
		setAlias(f, rf.Alias)
		return f
	case *pg.Node_RangeTableFunc: // XMLTABLE
		t := v.RangeTableFunc
		f := &FromItem{Func: &Expr{Kind: ExprOther}, FuncColumnsOnly: true}
		for _, n := range t.Columns {
			col := n.GetRangeTableFuncCol()
			if col == nil {
				continue
			}
			cd := &ColumnDef{Name: col.Colname, Type: c.typeName(col.TypeName)}
			if col.ForOrdinality {
				cd.Type = &TypeName{Names: []string{"pg_catalog", "int4"}}
			}
			f.FuncColumns = append(f.FuncColumns, cd)
		}
		setAlias(f, t.Alias)
		return f
	case *pg.Node_JsonTable:
		t := v.JsonTable
		f := &FromItem{Func: &Expr{Kind: ExprOther}, FuncColumnsOnly: true}
		c.jsonTableColumns(t.Columns, f)
		setAlias(f, t.Alias)
		return f
	case *pg.Node_JoinExpr:
		j := v.JoinExpr
		f := &FromItem{Join: &Join{
			Kind:    strings.ToLower(strings.TrimPrefix(j.Jointype.String(), "JOIN_")),
			Left:    c.fromItem(j.Larg),
			Right:   c.fromItem(j.Rarg),
			Using:   stringList(j.UsingClause),
			Natural: j.IsNatural,
		}}
		setAlias(f, j.Alias)
		return f
	case *pg.Node_RangeTableSample:
		f := c.fromItem(v.RangeTableSample.Relation)
		return f
	}
	return &FromItem{Func: &Expr{Kind: ExprOther}}
}

// jsonTableColumns flattens JSON_TABLE columns, NESTED ones included.
func (c *converter) jsonTableColumns(cols []*pg.Node, f *FromItem) {
	for _, n := range cols {
		col := n.GetJsonTableColumn()
		if col == nil {
			continue
		}
		switch col.Coltype {
		case pg.JsonTableColumnType_JTC_NESTED:
			c.jsonTableColumns(col.Columns, f)
		case pg.JsonTableColumnType_JTC_FOR_ORDINALITY:
			f.FuncColumns = append(f.FuncColumns, &ColumnDef{Name: col.Name, Type: &TypeName{Names: []string{"pg_catalog", "int4"}}})
		case pg.JsonTableColumnType_JTC_EXISTS:
			t := c.typeName(col.TypeName)
			if t == nil {
				t = &TypeName{Names: []string{"pg_catalog", "bool"}}
			}
			f.FuncColumns = append(f.FuncColumns, &ColumnDef{Name: col.Name, Type: t})
		default:
			f.FuncColumns = append(f.FuncColumns, &ColumnDef{Name: col.Name, Type: c.typeName(col.TypeName)})
		}
	}
}

func setAlias(f *FromItem, a *pg.Alias) {
	if a == nil {
		return
	}
	f.Alias = a.Aliasname
	f.ColumnAliases = stringList(a.Colnames)
}

// figureColname names an unaliased SELECT output column the way PostgreSQL's
// FigureColname does, so view column names match the database's.
func figureColname(n *pg.Node) string {
	name, strength := figureColnameInternal(n)
	if strength == 0 {
		return "?column?"
	}
	return name
}

func figureColnameInternal(n *pg.Node) (string, int) {
	if n == nil {
		return "", 0
	}
	switch v := n.Node.(type) {
	case *pg.Node_ColumnRef:
		name := ""
		for _, f := range v.ColumnRef.Fields {
			if s := f.GetString_(); s != nil {
				name = s.Sval
			}
		}
		if name != "" {
			return name, 2
		}
	case *pg.Node_AIndirection:
		name := ""
		for _, f := range v.AIndirection.Indirection {
			if s := f.GetString_(); s != nil {
				name = s.Sval
			}
		}
		if name != "" {
			return name, 2
		}
		return figureColnameInternal(v.AIndirection.Arg)
	case *pg.Node_FuncCall:
		names := stringList(v.FuncCall.Funcname)
		if len(names) > 0 {
			return names[len(names)-1], 2
		}
	case *pg.Node_AExpr:
		if v.AExpr.Kind == pg.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg.Node_TypeCast:
		name, strength := figureColnameInternal(v.TypeCast.Arg)
		if strength <= 1 && v.TypeCast.TypeName != nil {
			if parts := typeNameParts(v.TypeCast.TypeName); len(parts) > 0 {
				return parts[len(parts)-1], 1
			}
		}
		return name, strength
	case *pg.Node_CollateClause:
		return figureColnameInternal(v.CollateClause.Arg)
	case *pg.Node_GroupingFunc:
		return "grouping", 2
	case *pg.Node_MergeSupportFunc:
		return "merge_action", 2
	case *pg.Node_SubLink:
		switch v.SubLink.SubLinkType {
		case pg.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg.SubLinkType_EXPR_SUBLINK:
			if s := v.SubLink.Subselect.GetSelectStmt(); s != nil {
				for s.Larg != nil { // a set operation takes its names from the left arm
					s = s.Larg
				}
				if len(s.TargetList) > 0 {
					if rt := s.TargetList[0].GetResTarget(); rt != nil {
						if rt.Name != "" {
							return rt.Name, 2
						}
						return figureColname(rt.Val), 2
					}
				}
			}
		}
	case *pg.Node_CaseExpr:
		name, strength := figureColnameInternal(v.CaseExpr.Defresult)
		if strength <= 1 {
			return "case", 1
		}
		return name, strength
	case *pg.Node_AArrayExpr:
		return "array", 2
	case *pg.Node_RowExpr:
		return "row", 2
	case *pg.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg.Node_MinMaxExpr:
		if v.MinMaxExpr.Op == pg.MinMaxOp_IS_LEAST {
			return "least", 2
		}
		return "greatest", 2
	case *pg.Node_SqlvalueFunction:
		return sqlValueName(v.SqlvalueFunction.Op), 2
	case *pg.Node_XmlExpr:
		if v.XmlExpr.Op != pg.XmlExprOp_IS_DOCUMENT {
			return strings.ToLower(strings.TrimPrefix(v.XmlExpr.Op.String(), "IS_")), 2
		}
	case *pg.Node_XmlSerialize:
		return "xmlserialize", 2
	case *pg.Node_JsonParseExpr:
		return "json", 2
	case *pg.Node_JsonScalarExpr:
		return "json_scalar", 2
	case *pg.Node_JsonSerializeExpr:
		return "json_serialize", 2
	case *pg.Node_JsonObjectConstructor:
		return "json_object", 2
	case *pg.Node_JsonArrayConstructor, *pg.Node_JsonArrayQueryConstructor:
		return "json_array", 2
	case *pg.Node_JsonObjectAgg:
		return "json_objectagg", 2
	case *pg.Node_JsonArrayAgg:
		return "json_arrayagg", 2
	case *pg.Node_JsonFuncExpr:
		switch v.JsonFuncExpr.Op {
		case pg.JsonExprOp_JSON_EXISTS_OP:
			return "json_exists", 2
		case pg.JsonExprOp_JSON_QUERY_OP:
			return "json_query", 2
		case pg.JsonExprOp_JSON_VALUE_OP:
			return "json_value", 2
		}
	}
	return "", 0
}
