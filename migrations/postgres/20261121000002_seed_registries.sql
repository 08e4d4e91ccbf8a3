-- Starting registries. Data migrations: admins edit or retire these later; the sentinel never does.

INSERT INTO firearm_types (slug, name, description, risk_level) VALUES
    ('moves_money', 'Moves money', 'Creates charges, refunds, payouts, transfers or changes prices and budgets.', 'critical'),
    ('deletes_data', 'Deletes data', 'Deletes or irreversibly overwrites records, files or repositories.', 'high'),
    ('sends_messages', 'Sends messages', 'Sends email, chat or social messages on the customer''s behalf.', 'high'),
    ('reads_personal_data', 'Reads personal data', 'Reads customer or employee personal data (names, emails, addresses, phone numbers).', 'medium'),
    ('changes_permissions', 'Changes permissions', 'Grants or revokes access, manages users, roles, apps or API keys.', 'critical'),
    ('writes_data', 'Writes data', 'Creates or changes business records (products, orders, contacts, campaigns).', 'medium'),
    ('full_access', 'Full account access', 'Broad or administrative access to the whole account.', 'critical');

INSERT INTO core_kpis (slug, name, description, unit, aggregation, direction) VALUES
    ('gross_sales', 'Gross sales', 'Total sales before discounts, returns and taxes.', 'currency', 'sum', 'higher_is_better'),
    ('net_revenue', 'Net revenue', 'Revenue after discounts, refunds and fees.', 'currency', 'sum', 'higher_is_better'),
    ('orders', 'Orders', 'Number of orders placed.', 'count', 'sum', 'higher_is_better'),
    ('average_order_value', 'Average order value', 'Revenue divided by the number of orders.', 'currency', 'average', 'higher_is_better'),
    ('refunds', 'Refunds', 'Amount refunded to customers.', 'currency', 'sum', 'higher_is_worse'),
    ('new_customers', 'New customers', 'Customers acquired in the period.', 'count', 'sum', 'higher_is_better'),
    ('active_customers', 'Active customers', 'Customers with activity in the period.', 'count', 'last', 'higher_is_better'),
    ('churn_rate', 'Churn rate', 'Share of customers lost in the period.', 'ratio', 'average', 'higher_is_worse'),
    ('conversion_rate', 'Conversion rate', 'Share of sessions or visitors that convert.', 'ratio', 'average', 'higher_is_better'),
    ('sessions', 'Sessions', 'Visits to a site or app.', 'count', 'sum', 'higher_is_better'),
    ('impressions', 'Impressions', 'Times content or an ad was shown.', 'count', 'sum', 'higher_is_better'),
    ('clicks', 'Clicks', 'Clicks on links or ads.', 'count', 'sum', 'higher_is_better'),
    ('click_through_rate', 'Click-through rate', 'Clicks divided by impressions.', 'ratio', 'average', 'higher_is_better'),
    ('ad_spend', 'Ad spend', 'Money spent on advertising.', 'currency', 'sum', 'higher_is_worse'),
    ('cost_per_acquisition', 'Cost per acquisition', 'Ad spend divided by conversions.', 'currency', 'average', 'higher_is_worse'),
    ('return_on_ad_spend', 'Return on ad spend', 'Revenue attributed to ads divided by ad spend.', 'ratio', 'average', 'higher_is_better'),
    ('leads', 'Leads', 'New leads created.', 'count', 'sum', 'higher_is_better'),
    ('pipeline_value', 'Pipeline value', 'Value of open sales opportunities.', 'currency', 'last', 'higher_is_better'),
    ('deals_won', 'Deals won', 'Sales opportunities closed as won.', 'count', 'sum', 'higher_is_better'),
    ('messages_sent', 'Messages sent', 'Messages or emails sent.', 'count', 'sum', 'higher_is_better'),
    ('active_users', 'Active users', 'Distinct users active in the period.', 'count', 'last', 'higher_is_better'),
    ('response_time', 'Response time', 'Time to first response.', 'duration', 'average', 'higher_is_worse');
